"""Population in the web app: atomic uploads, background runs, suppression in every view and
export, access for members only, and the audit log."""

from __future__ import annotations

import datetime as dt
import io
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from samenspel.web.core.accounts.models import AuditEvent
from samenspel.web.monitoring.models import Dataset, RegiobeeldRun, ReleaseKey

from .conftest import World
from .test_population import CONDITIONS, EVENTS, PERSONS


def _files(persons: str = PERSONS) -> dict[str, SimpleUploadedFile]:
    return {
        "persons": SimpleUploadedFile("persons.csv", persons.encode()),
        "conditions": SimpleUploadedFile("conditions.csv", CONDITIONS.encode()),
        "care_events": SimpleUploadedFile("care_events.csv", EVENTS.encode()),
    }


def _incoming() -> list[Path]:
    folder = Path(settings.SAMENSPEL_DATASETS_DIR) / "incoming"
    return list(folder.iterdir()) if folder.exists() else []


@pytest.fixture
def run(
    world: World, django_capture_on_commit_callbacks: Callable[..., Any], settings: Any
) -> RegiobeeldRun:
    # A threshold of 3 on six persons: its municipalities (3, 2) are hidden, and so is the
    # region (5): its five persons fill five pyramid cells, so the total says each holds one.
    settings.SAMENSPEL_SUPPRESSION_THRESHOLD = 3
    client = world.client_for(world.director)
    response = client.post(f"/p/{world.a.pk}/population/", {"name": "Hand", **_files()})
    assert response.status_code == 302
    dataset = Dataset.objects.get(programme=world.a)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/p/{world.a.pk}/population/datasets/{dataset.pk}/run/", {"engine": "duckdb"}
        )
    assert response.status_code == 302
    result = RegiobeeldRun.objects.get(dataset=dataset)
    assert result.status == "done", result.error
    return result


def test_upload_with_bad_rows_keeps_nothing(world: World) -> None:
    client = world.client_for(world.director)
    bad = PERSONS + "p7,19x0,Q,Oss,,\n"
    response = client.post(f"/p/{world.a.pk}/population/", {"name": "Bad", **_files(bad)})
    assert response.status_code == 200
    problems = response.context["problems"]
    first = "persons.csv, rij 8, kolom 'birth_year': moet een jaartal"
    assert any(p.startswith(first) for p in problems)
    assert any("kolom 'municipality'" in p for p in problems)
    assert not Dataset.objects.exists() and _incoming() == []


def test_run_and_dashboard_with_suppression(world: World, run: RegiobeeldRun) -> None:
    client = world.client_for(world.viewer)
    page = client.get(f"/p/{world.a.pk}/population/runs/{run.pk}/?year=2021")
    assert page.status_code == 200
    v = page.context["v"]
    assert v.population is None
    towns = {m["municipality"]: m["population"] for m in v.municipalities}
    assert towns["GM0796"] is None and towns["GM0828"] is None
    html = page.content.decode()
    assert "<svg" in html
    assert "Disclosure audit passed" in html or "Controle op onthulling geslaagd" in html
    assert (
        AuditEvent.objects.filter(
            programme=world.a, action="view regiobeeld", user=world.viewer
        ).count()
        == 1
    )


def test_excel_and_api_never_contain_small_counts(world: World, run: RegiobeeldRun) -> None:
    client = world.client_for(world.viewer)
    content = client.get(f"/p/{world.a.pk}/population/runs/{run.pk}/regiobeeld.xlsx").content
    book = load_workbook(io.BytesIO(content))
    for sheet in ("population", "pyramid", "prevalence", "segments", "care_use", "costs"):
        rows = list(book[sheet].values)
        header = rows[0]
        for row in rows[1:]:
            record = dict(zip(header, row, strict=True))
            for column in ("persons", "events", "readmissions"):
                value = record.get(column)
                assert value is None or value == 0 or value >= 3, (sheet, record)
    data = client.get(f"/api/v1/programmes/{world.a.pk}/regiobeeld-runs/{run.pk}").json()
    for table in ("population", "pyramid", "prevalence", "segments", "care_use", "costs"):
        for record in data["result"][table]:
            persons = record["persons"]
            assert persons is None or persons == 0 or persons >= 3
    actions = set(AuditEvent.objects.filter(programme=world.a).values_list("action", flat=True))
    assert {"export regiobeeld (Excel)", "read regiobeeld (API)"} <= actions


def test_a_rounded_run_publishes_every_figure_and_says_how_on_every_output(
    world: World, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    """The director chooses rounded counts: the six-person region's figures are all shown,
    each within its accuracy, and the page, the PDF and the Excel file say they are rounded.
    The secret behind the rounding is in no page, export or API answer."""
    client = world.client_for(world.director)
    client.post(f"/p/{world.a.pk}/population/", {"name": "Hand", **_files()})
    dataset = Dataset.objects.get(programme=world.a)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            f"/p/{world.a.pk}/population/datasets/{dataset.pk}/run/",
            {"engine": "duckdb", "method": "rounded"},
        )
    run = RegiobeeldRun.objects.get(dataset=dataset)
    assert run.status == "done" and run.method == "rounded", run.error
    secret = ReleaseKey.objects.get().secret
    page = client.get(f"/p/{world.a.pk}/population/runs/{run.pk}/?year=2021")
    text = page.content.decode()
    assert "Afgeronde aantallen" in text and "Aantallen onder" not in text
    v = page.context["v"]
    assert v.population is not None and abs(v.population - 5) <= v.population_accuracy
    assert f"± {v.population_accuracy}" in text
    pdf = client.get(f"/p/{world.a.pk}/population/runs/{run.pk}/regiobeeld.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    book = load_workbook(
        io.BytesIO(client.get(f"/p/{world.a.pk}/population/runs/{run.pk}/regiobeeld.xlsx").content)
    )
    assert str(book["info"]["A2"].value).startswith("Afgeronde aantallen")
    api = client.get(f"/api/v1/programmes/{world.a.pk}/regiobeeld-runs/{run.pk}")
    assert api.json()["result"]["disclosure"]["method"] == "rounded"
    for answer in (text, api.content.decode(), json.dumps(run.result)):
        assert secret not in answer
    assert not client.post(
        f"/p/{world.a.pk}/population/datasets/{dataset.pk}/run/", {"method": "made up"}
    ).url.endswith(f"/runs/{run.pk + 1}/")


def test_pdf_export(world: World, run: RegiobeeldRun) -> None:
    response = world.client_for(world.director).get(
        f"/p/{world.a.pk}/population/runs/{run.pk}/regiobeeld.pdf"
    )
    assert response.status_code == 200 and response.content.startswith(b"%PDF")


@pytest.mark.parametrize(
    "suffix",
    [
        "population/",
        "population/runs/{run}/",
        "population/runs/{run}/regiobeeld.xlsx",
        "population/runs/{run}/regiobeeld.pdf",
    ],
)
def test_outsiders_see_nothing(world: World, run: RegiobeeldRun, suffix: str) -> None:
    url = f"/p/{world.a.pk}/" + suffix.format(run=run.pk)
    response = world.client_for(world.outsider).get(url)
    assert response.status_code == 404
    if "runs" in suffix:  # the outsider directs programme B; A's run is not found there either
        other = f"/p/{world.b.pk}/" + suffix.format(run=run.pk)
        assert world.client_for(world.outsider).get(other).status_code == 404
    api = world.client_for(world.outsider).get(
        f"/api/v1/programmes/{world.a.pk}/regiobeeld-runs/{run.pk}"
    )
    assert api.status_code == 404
    assert not AuditEvent.objects.filter(user=world.outsider).exists()


def test_viewers_cannot_upload_or_run(world: World, run: RegiobeeldRun) -> None:
    client = world.client_for(world.viewer)
    assert client.post(f"/p/{world.a.pk}/population/", {"name": "X", **_files()}).status_code == 403
    assert (
        client.post(f"/p/{world.a.pk}/population/datasets/{run.dataset_id}/run/").status_code == 403
    )
    assert Dataset.objects.count() == 1


def test_synthetic_dataset_and_patient_sharing_source(
    world: World, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    client = world.client_for(world.director)
    client.post(
        f"/p/{world.a.pk}/population/",
        {"action": "synthetic", "name": "Syn", "persons": "3000", "seed": "2"},
    )
    dataset = Dataset.objects.get(name="Syn")
    assert dataset.persons == 3000
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/p/{world.a.pk}/population/datasets/{dataset.pk}/run/")
    run = RegiobeeldRun.objects.get(dataset=dataset)
    assert run.status == "done" and run.sharing["ties"]
    for _a, _b, weight in run.sharing["ties"]:
        assert weight >= run.threshold  # every tie is published with its weight
    page = client.get(f"/p/{world.a.pk}/dynamics/?source=patient_sharing&run={run.pk}")
    assert page.status_code == 200
    assert page.context["dyn"].network.n == len(run.sharing["providers"])
    nodes = client.get(f"/p/{world.a.pk}/dynamics/nodes.csv?source=patient_sharing")
    assert nodes.content.decode().splitlines()[0].startswith("id,name,kind,degree")
    # the dashboard's "explore the network" leads to the explorer, for every role
    for user in (world.director, world.partner, world.viewer):
        explorer = world.client_for(user).get(
            f"/p/{world.a.pk}/dynamics/explore/?source=patient_sharing&run={run.pk}"
        )
        assert explorer.status_code == 200, user
        first = explorer.context["table"][0]
        assert first["name"] in explorer.content.decode() and first["values"] != [""]
    # the map colours the providers by their kind, with its name, never its code
    data = client.get(
        f"/p/{world.a.pk}/dynamics/network.json?source=patient_sharing&run={run.pk}"
    ).json()
    assert data["attributes"] == ["kind"]
    kinds = {n["attrs"]["kind"] for n in data["nodes"]}
    assert len(kinds) > 1 and all(data["labels"][k] != k for k in kinds)
    too_many = client.post(
        f"/p/{world.a.pk}/population/",
        {"action": "synthetic", "name": "Big", "persons": "999999999"},
    )
    assert too_many.status_code == 200 and too_many.context["problems"]


def test_failed_run_keeps_no_results(
    world: World, run: RegiobeeldRun, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    dataset = run.dataset
    (Path(dataset.folder) / "care_events.csv").write_text(EVENTS + "p1,2021-01-01,x,,Zvw,1\n")
    with django_capture_on_commit_callbacks(execute=True):
        world.client_for(world.director).post(
            f"/p/{world.a.pk}/population/datasets/{dataset.pk}/run/"
        )
    failed = RegiobeeldRun.objects.filter(dataset=dataset).order_by("-pk").first()
    assert failed is not None and failed.status == "failed"
    assert failed.result is None and "care_events.csv, rij 8" in failed.error
    json.dumps(failed.error)


def test_register_a_server_folder(world: World, settings: Any, tmp_path: Path) -> None:
    settings.SAMENSPEL_IMPORT_DIR = tmp_path
    good = tmp_path / "region-2026"
    good.mkdir()
    for name, text in (("persons", PERSONS), ("conditions", CONDITIONS), ("care_events", EVENTS)):
        (good / f"{name}.csv").write_text(text)
    client = world.client_for(world.director)
    assert "region-2026" in client.get(f"/p/{world.a.pk}/population/").context["importable"]
    client.post(
        f"/p/{world.a.pk}/population/",
        {"action": "register", "folder": "region-2026", "name": "Region"},
    )
    dataset = Dataset.objects.get(name="Region")
    assert dataset.kind == "registered" and dataset.persons == 6
    assert Path(dataset.folder) != good and (Path(dataset.folder) / "persons.csv").exists()
    escape = client.post(
        f"/p/{world.a.pk}/population/", {"action": "register", "folder": "../etc", "name": "X"}
    )
    assert escape.status_code == 200 and escape.context["problems"]
    assert Dataset.objects.count() == 1


def test_a_killed_run_writes_nothing_and_is_later_reported_failed(
    world: World,
    run: RegiobeeldRun,
    monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    """The worker is stopped half-way (as SIGINT/SIGTERM would): no partial result is stored,
    and once the run has been silent too long the population page says it failed."""
    from samenspel.web.monitoring import tasks

    client = world.client_for(world.director)
    with django_capture_on_commit_callbacks(execute=False):
        client.post(f"/p/{world.a.pk}/population/datasets/{run.dataset.pk}/run/")
    second = RegiobeeldRun.objects.filter(dataset=run.dataset).order_by("-pk").first()
    assert second is not None and second.pk != run.pk and second.status == "queued"

    def killed(folder: Path, **kwargs: Any) -> dict[str, Any]:
        kwargs["progress"]("reading persons", 0.3)
        raise KeyboardInterrupt  # the process is stopped here

    monkeypatch.setattr(tasks, "regiobeeld", killed)
    with pytest.raises(KeyboardInterrupt):
        tasks.compute_regiobeeld.call(second.pk)
    second.refresh_from_db()
    assert second.status == "running" and second.step == "reading persons"
    assert second.result is None and second.sharing is None

    page = client.get(f"/p/{world.a.pk}/population/")  # still within the quiet period
    assert RegiobeeldRun.objects.get(pk=second.pk).status == "running"
    silent = second.heartbeat_at - dt.timedelta(minutes=settings.SAMENSPEL_RUN_STALE_MINUTES + 1)
    RegiobeeldRun.objects.filter(pk=second.pk).update(heartbeat_at=silent)
    with CaptureQueriesContext(connection) as queries:
        page = client.get(f"/p/{world.a.pk}/population/")
        detail = client.get(f"/p/{world.a.pk}/population/runs/{second.pk}/").content.decode()
    writes = [
        q["sql"] for q in queries.captured_queries
        if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
        and "audit" not in q["sql"] and "session" not in q["sql"]
    ]  # fmt: skip
    assert writes == []  # a GET shows the stopped run as failed without writing
    assert "Mislukt" in page.content.decode()
    assert "De berekening stopte voordat ze klaar was" in detail
    assert RegiobeeldRun.objects.get(pk=second.pk).status == "running"
    third = RegiobeeldRun.objects.create(
        programme=world.a, dataset=run.dataset, created_by=world.director
    )
    monkeypatch.undo()  # the worker runs normally again
    tasks.compute_regiobeeld.call(third.pk)  # the worker records the stopped run first
    second.refresh_from_db()
    assert second.status == "failed" and second.result is None
    assert RegiobeeldRun.objects.get(pk=run.pk).status == "done"  # the finished run is untouched


def test_a_run_without_a_passed_disclosure_audit_is_not_published(
    world: World, run: RegiobeeldRun
) -> None:
    """A result stored before the audit existed is shown nowhere: page, Excel, PDF, API."""
    result = dict(run.result or {})
    result.pop("disclosure")
    RegiobeeldRun.objects.filter(pk=run.pk).update(result=result)
    client = world.client_for(world.director)
    page = client.get(f"/p/{world.a.pk}/population/runs/{run.pk}/")
    assert page.status_code == 200 and "v" not in page.context
    assert "Run it again" in page.content.decode() or "opnieuw" in page.content.decode()
    for export in ("regiobeeld.xlsx", "regiobeeld.pdf"):
        response = client.get(f"/p/{world.a.pk}/population/runs/{run.pk}/{export}")
        assert response.status_code == 302
    data = client.get(f"/api/v1/programmes/{world.a.pk}/regiobeeld-runs/{run.pk}").json()
    assert data["result"] is None


def test_a_neighbourhood_name_never_becomes_a_formula(
    world: World, django_capture_on_commit_callbacks: Callable[..., Any], settings: Any
) -> None:
    settings.SAMENSPEL_SUPPRESSION_THRESHOLD = 1
    persons = PERSONS.replace(",,", ',"=HYPERLINK(""http://x"")",', 3)
    client = world.client_for(world.director)
    client.post(f"/p/{world.a.pk}/population/", {"name": "Wijk", **_files(persons)})
    dataset = Dataset.objects.get(programme=world.a)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/p/{world.a.pk}/population/datasets/{dataset.pk}/run/")
    run = RegiobeeldRun.objects.get(dataset=dataset)
    assert run.status == "done", run.error
    page = client.get(f"/p/{world.a.pk}/population/runs/{run.pk}/?municipality=GM0796")
    assert page.context["v"].neighbourhoods  # the wijk breakdown is on the page
    content = client.get(f"/p/{world.a.pk}/population/runs/{run.pk}/regiobeeld.xlsx").content
    sheet = load_workbook(io.BytesIO(content))["neighbourhoods"]
    names = [c for row in sheet.iter_rows() for c in row if str(c.value).startswith("=")]
    assert names and all(c.data_type == "s" and c.quotePrefix for c in names)
