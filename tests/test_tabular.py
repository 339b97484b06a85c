"""CSV and Excel import of organisations and people: messages name file, row and column; any bad
row means nothing is written."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import OperationalError
from django.utils import translation
from openpyxl import Workbook

from samenspel.web.composition.exchange import ImportFailedError
from samenspel.web.composition.services import import_table
from samenspel.web.core.accounts.access import get_programme_for
from samenspel.web.core.models import Organisation, Person

from .conftest import World

ORGS_CSV = (
    "name;kind;domain;level;echelon;parent\n"
    "Zorggroep Oost;Zorggroep;care;region;first;\n"
    "Praktijk De Linde;gp_practice;Zorg;Praktijk;first;Zorggroep Oost\n"
)


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    """Messages are checked in English here; the Dutch ones in their own test."""
    with translation.override("en"):
        yield


def _role(world: World, user: object) -> object:
    return get_programme_for(user, world.a.pk)[1]  # type: ignore[arg-type]


def test_csv_with_dutch_labels_and_parents(world: World) -> None:
    role = _role(world, world.director)
    counts = import_table(
        role=role,
        kind="organisations",
        filename="orgs.csv",  # type: ignore[arg-type]
        content=ORGS_CSV.encode(),
    )
    assert counts == {"created": 2, "updated": 0}
    practice = Organisation.objects.get(programme=world.a, name="Praktijk De Linde")
    assert (practice.kind, practice.domain, practice.level) == ("gp_practice", "care", "practice")
    assert practice.parent is not None and practice.parent.name == "Zorggroep Oost"


def test_bad_rows_name_file_row_and_column_and_write_nothing(world: World) -> None:
    content = (
        b"name,stakeholder_group,profession,organisation\n"
        b"Anna,professional,gp,Hospital A\n"
        b"Bert,bestuur,,Hospital A\n"
        b"Cor,professional,,Hospital A\n"
        b"Dirk,executive,,Nowhere Inc\n"
    )
    before = Person.objects.count()
    with translation.override("en"), pytest.raises(ImportFailedError) as caught:
        import_table(
            role=_role(world, world.director),
            kind="people",  # type: ignore[arg-type]
            filename="people.csv",
            content=content,
        )
    messages = [str(p) for p in caught.value.problems]
    assert messages[0].startswith("people.csv, row 3, field 'stakeholder_group': 'bestuur'")
    assert messages[1] == (
        "people.csv, row 4, field 'profession': Choose the profession of a professional."
    )
    assert messages[2] == (
        "people.csv, row 5, field 'organisation': "
        "no organisation named 'Nowhere Inc' in this programme"
    )
    assert Person.objects.count() == before
    assert not Person.objects.filter(name="Anna").exists()


def test_excel_import_and_update_by_name(world: World) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["name", "stakeholder_group", "profession", "organisation", "job_title"])
    sheet.append(["Gerrit GP", "professional", "gp", "Hospital A", "Kaderhuisarts"])
    sheet.append(["Nieuwe Inwoner", "Inwoner", None, None, None])
    buffer = io.BytesIO()
    book.save(buffer)
    counts = import_table(
        role=_role(world, world.director),
        kind="people",  # type: ignore[arg-type]
        filename="people.xlsx",
        content=buffer.getvalue(),
    )
    assert counts == {"created": 1, "updated": 1}
    world.gp.refresh_from_db()
    assert world.gp.job_title == "Kaderhuisarts"
    assert Person.objects.get(name="Nieuwe Inwoner").stakeholder_group == "resident"


def test_header_problems(world: World) -> None:
    with pytest.raises(ImportFailedError) as caught:
        import_table(
            role=_role(world, world.director),
            kind="organisations",  # type: ignore[arg-type]
            filename="o.csv",
            content=b"name,colour\nX,red\n",
        )
    text = str(caught.value)
    assert "o.csv, row 1, field 'colour': unknown column" in text
    assert "o.csv, row 1, field 'kind': required column is missing" in text


def test_unreadable_files(world: World) -> None:
    role = _role(world, world.director)
    with pytest.raises(ImportFailedError, match="not a readable Excel workbook"):
        import_table(role=role, kind="people", filename="x.xlsx", content=b"garbage")  # type: ignore[arg-type]
    with pytest.raises(ImportFailedError, match="CSV UTF-8"):  # 0x81 is no Windows-1252 text
        import_table(role=role, kind="people", filename="x.csv", content=b"name\n\x81\x8d")  # type: ignore[arg-type]
    with pytest.raises(ImportFailedError, match=re.escape("use a .csv or .xlsx file")):
        import_table(role=role, kind="people", filename="x.pdf", content=b"%PDF")  # type: ignore[arg-type]


def test_partner_may_import_own_people_only(world: World) -> None:
    role = _role(world, world.partner)
    content = b"name,stakeholder_group,organisation\nX,executive,Town A\n"
    with pytest.raises(ImportFailedError, match="row 2: you may not change this record"):
        import_table(role=role, kind="people", filename="p.csv", content=content)  # type: ignore[arg-type]
    ok = import_table(
        role=role,
        kind="people",
        filename="p.csv",  # type: ignore[arg-type]
        content=b"name,stakeholder_group,organisation\nY,manager,Hospital A\n",
    )
    assert ok["created"] == 1
    # contact details are the director's: a partner's sheet cannot set them, nor blank them
    world.exec_h.email = "eva@voorbeeld.nl"
    world.exec_h.save()
    with pytest.raises(ImportFailedError, match="row 2, field 'email'"):
        import_table(role=role, kind="people", filename="p.csv",  # type: ignore[arg-type]
                     content=b"name,stakeholder_group,organisation,email\n"
                             b"Eva Exec,executive,Hospital A,nieuw@voorbeeld.nl\n")  # fmt: skip
    import_table(role=role, kind="people", filename="p.csv",  # type: ignore[arg-type]
                 content=b"name,stakeholder_group,organisation,email,job_title\n"
                         b"Eva Exec,executive,Hospital A,,Voorzitter\n")  # fmt: skip
    world.exec_h.refresh_from_db()
    assert (world.exec_h.job_title, world.exec_h.email) == ("Voorzitter", "eva@voorbeeld.nl")


def test_web_upload_shows_problems(world: World) -> None:
    client = world.client_for(world.director)
    client.cookies["django_language"] = "en"
    upload = SimpleUploadedFile("orgs.csv", b"name,kind,domain,level\nX,castle,care,region\n")
    response = client.post(f"/p/{world.a.pk}/import/", {"kind": "organisations", "file": upload})
    assert response.status_code == 200
    assert "orgs.csv, row 2, field &#x27;kind&#x27;: &#x27;castle&#x27; is not one of" in (
        response.content.decode()
    )
    assert not Organisation.objects.filter(name="X").exists()


def test_example_files_in_the_repository_import_cleanly(world: World) -> None:
    from pathlib import Path

    examples = Path(__file__).resolve().parents[1] / "examples"
    role = _role(world, world.director)
    orgs = import_table(
        role=role,
        kind="organisations",
        filename="organisations.csv",  # type: ignore[arg-type]
        content=(examples / "organisations.csv").read_bytes(),
    )
    people = import_table(
        role=role,
        kind="people",
        filename="people.csv",  # type: ignore[arg-type]
        content=(examples / "people.csv").read_bytes(),
    )
    assert orgs == {"created": 4, "updated": 0} and people == {"created": 3, "updated": 0}
    linde = Organisation.objects.get(programme=world.a, name="Huisartsenpraktijk De Linde")
    assert linde.parent is not None and linde.parent.name == "Zorggroep De Meierij"


def test_an_import_interrupted_half_way_writes_nothing(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The database gives out after two of three rows were written: those two go as well."""
    content = (
        b"name,stakeholder_group,profession,organisation\n"
        b"Anna,professional,gp,Hospital A\nBert,manager,,Hospital A\nCor,manager,,Hospital A\n"
    )
    written: list[str] = []
    save = Person.save

    def failing_save(self: Person, *args: object, **kwargs: object) -> None:
        if len(written) == 2:
            raise OperationalError("disk I/O error")
        save(self, *args, **kwargs)  # type: ignore[arg-type]
        written.append(self.name)

    monkeypatch.setattr(Person, "save", failing_save)
    before = set(Person.objects.values_list("name", flat=True))
    with pytest.raises(OperationalError):
        import_table(
            role=_role(world, world.director),
            kind="people",  # type: ignore[arg-type]
            filename="people.csv",
            content=content,
        )
    assert written == ["Anna", "Bert"]
    assert set(Person.objects.values_list("name", flat=True)) == before


def test_windows_1252_csv_from_dutch_excel_is_read(world: World) -> None:
    """Dutch Excel's "CSV (gescheiden door lijstscheidingsteken)": semicolons, Windows-1252."""
    content = "name;stakeholder_group;organisation\nJosé Müller;Bestuurder;Town A\n".encode(
        "cp1252"
    )
    counts = import_table(
        role=_role(world, world.director), kind="people", filename="p.csv", content=content
    )  # type: ignore[arg-type]
    assert counts == {"created": 1, "updated": 0}
    assert Person.objects.get(name="José Müller").organisation == world.municipality


def test_import_problems_are_translated(world: World) -> None:
    from django.utils import translation

    with translation.override("nl"), pytest.raises(ImportFailedError) as caught:
        import_table(
            role=_role(world, world.director),
            kind="organisations",  # type: ignore[arg-type]
            filename="o.csv",
            content=b"name,kind,domain,level\nX,castle,care,region\n",
        )
    text = str(caught.value)
    assert "o.csv, rij 2, veld 'kind': 'castle' is geen van:" in text
