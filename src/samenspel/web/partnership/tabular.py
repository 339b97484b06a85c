"""Import organisations or people from a CSV or Excel sheet into an existing programme.

The first row holds column names (the field names below). Choice columns accept the code
(``hospital``) or the label in Dutch or English (``Ziekenhuis``, ``Hospital``). Organisations are
matched by name and people by name and organisation: a matching row updates the record, any
other row creates one. With any bad row nothing is written; every problem names the file, the
row as numbered in a spreadsheet (the header is row 1) and the column.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import translation

from samenspel.web.accounts.access import may_change
from samenspel.web.accounts.models import ProgrammeRole

from .exchange import ImportFailedError, ImportProblem
from .models import Organisation, Person

COLUMNS: dict[str, tuple[str, ...]] = {
    "organisations": (
        "name",
        "kind",
        "domain",
        "echelon",
        "level",
        "partnership_role",
        "parent",
        "place",
    ),
    "people": ("name", "stakeholder_group", "profession", "organisation", "job_title", "email"),
}
REQUIRED: dict[str, tuple[str, ...]] = {
    "organisations": ("name", "kind", "domain", "level"),
    "people": ("name", "stakeholder_group"),
}


@dataclass(frozen=True)
class Row:
    number: int
    values: dict[str, str]


def read_rows(filename: str, content: bytes) -> Iterator[Row]:
    """Rows of a .csv (comma or semicolon, UTF-8) or .xlsx file, numbered as a spreadsheet does."""
    lower = filename.lower()
    if lower.endswith(".xlsx"):
        yield from _xlsx_rows(filename, content)
    elif lower.endswith(".csv"):
        yield from _csv_rows(filename, content)
    else:
        raise ImportFailedError([ImportProblem(filename, "", "", "use a .csv or .xlsx file")])


def _header(filename: str, cells: list[Any]) -> list[str]:
    header = [str(c).strip().lower() if c is not None else "" for c in cells]
    if not any(header):
        raise ImportFailedError([ImportProblem(filename, "row 1", "", "the header row is empty")])
    return header


def _csv_rows(filename: str, content: bytes) -> Iterator[Row]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportFailedError(
            [
                ImportProblem(
                    filename, "", "", f"not UTF-8 text (byte {exc.start}); save as CSV UTF-8"
                )
            ]
        ) from exc
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    rows = list(reader)
    if not rows:
        raise ImportFailedError([ImportProblem(filename, "", "", "the file is empty")])
    header = _header(filename, list(rows[0]))
    for number, cells in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) > len(header):
            raise ImportFailedError(
                [ImportProblem(filename, f"row {number}", "", "more cells than header columns")]
            )
        yield Row(
            number, {h: (cells[i].strip() if i < len(cells) else "") for i, h in enumerate(header)}
        )


def _xlsx_rows(filename: str, content: bytes) -> Iterator[Row]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for damaged files
        raise ImportFailedError(
            [
                ImportProblem(
                    filename, "", "", f"not a readable Excel workbook ({exc.__class__.__name__})"
                )
            ]
        ) from exc
    sheet = workbook.worksheets[0]
    iterator = sheet.iter_rows(values_only=True)
    first = next(iterator, None)
    if first is None:
        raise ImportFailedError([ImportProblem(filename, "", "", "the first sheet is empty")])
    header = _header(filename, list(first))
    for number, cells in enumerate(iterator, start=2):
        values = ["" if c is None else str(c).strip() for c in cells]
        if not any(values):
            continue
        yield Row(number, {h: (values[i] if i < len(values) else "") for i, h in enumerate(header)})
    workbook.close()


def _choice_lookup(field: models.Field) -> dict[str, str]:
    lookup: dict[str, str] = {}
    for code, label in field.choices or []:
        lookup[str(code).lower()] = str(code)
        for language in ("nl", "en"):
            with translation.override(language):
                lookup[str(label).strip().lower()] = str(code)
    return lookup


def _choices_text(field: models.Field) -> str:
    return ", ".join(str(code) for code, _label in field.choices or [])


def import_table(
    *, role: ProgrammeRole, kind: str, filename: str, content: bytes
) -> dict[str, int]:
    """Import a sheet of ``kind`` ("organisations" or "people"); returns created/updated counts."""
    if kind not in COLUMNS:
        raise ValueError(f"unknown kind {kind!r}")
    model: type[Organisation] | type[Person] = Organisation if kind == "organisations" else Person
    problems: list[ImportProblem] = []
    rows = list(read_rows(filename, content))
    if rows:
        header = set(rows[0].values)
        unknown = sorted(header - set(COLUMNS[kind]) - {""})
        missing = [c for c in REQUIRED[kind] if c not in header]
        for column in unknown:
            problems.append(
                ImportProblem(
                    filename,
                    "row 1",
                    column,
                    "unknown column; expected " + ", ".join(COLUMNS[kind]),
                )
            )
        for column in missing:
            problems.append(ImportProblem(filename, "row 1", column, "required column is missing"))
        if problems:
            raise ImportFailedError(problems)
    lookups_fields = {
        name: field
        for name in COLUMNS[kind]
        if isinstance(f := model._meta.get_field(name), models.Field) and f.choices
        for field in [f]
    }
    lookups = {name: _choice_lookup(f) for name, f in lookups_fields.items()}
    programme_id = role.programme_id
    organisations = {
        o.name.lower(): o for o in Organisation.objects.filter(programme_id=programme_id)
    }
    counts = {"created": 0, "updated": 0}
    with transaction.atomic():
        seen: set[tuple[str, str]] = set()
        pending_parents: list[tuple[Row, Organisation, str]] = []
        for row in rows:
            location = f"row {row.number}"
            values = row.values
            data: dict[str, Any] = {}
            row_ok = True
            for name in COLUMNS[kind]:
                raw = values.get(name, "")
                if name in REQUIRED[kind] and not raw:
                    problems.append(ImportProblem(filename, location, name, "is required"))
                    row_ok = False
                elif name in lookups and raw:
                    code = lookups[name].get(raw.lower())
                    if code is None:
                        problems.append(
                            ImportProblem(
                                filename,
                                location,
                                name,
                                f"'{raw}' is not one of: {_choices_text(lookups_fields[name])}",
                            )
                        )
                        row_ok = False
                    else:
                        data[name] = code
                elif raw or not model._meta.get_field(name).has_default():  # type: ignore[union-attr]
                    data[name] = raw
            if not row_ok:
                continue
            key = (data["name"].lower(), data.get("organisation", "").lower())
            if key in seen:
                problems.append(
                    ImportProblem(filename, location, "name", "appears twice in the file")
                )
                continue
            seen.add(key)
            obj: Organisation | Person
            if kind == "organisations":
                parent_name = data.pop("parent", "")
                obj = organisations.get(data["name"].lower()) or Organisation(
                    programme_id=programme_id
                )
                if parent_name:
                    pending_parents.append((row, obj, parent_name))
            else:
                org_name = data.pop("organisation", "")
                organisation = organisations.get(org_name.lower()) if org_name else None
                if org_name and organisation is None:
                    problems.append(
                        ImportProblem(
                            filename,
                            location,
                            "organisation",
                            f"no organisation named '{org_name}' in this programme",
                        )
                    )
                    continue
                person = Person.objects.filter(
                    programme_id=programme_id, name__iexact=data["name"], organisation=organisation
                ).first() or Person(programme_id=programme_id)
                person.organisation = organisation
                obj = person
            for name, value in data.items():
                setattr(obj, name, value)
            if not may_change(role, obj):
                problems.append(
                    ImportProblem(filename, location, "", "you may not change this record")
                )
                continue
            try:
                obj.full_clean()
            except ValidationError as exc:
                for field_name, messages in exc.message_dict.items():
                    problems.append(
                        ImportProblem(filename, location, field_name, " ".join(messages))
                    )
                continue
            counts["updated" if obj.pk else "created"] += 1
            obj.save()
            if isinstance(obj, Organisation):
                organisations[obj.name.lower()] = obj
        for row, org, parent_name in pending_parents:
            parent = organisations.get(parent_name.lower())
            if parent is None:
                problems.append(
                    ImportProblem(
                        filename,
                        f"row {row.number}",
                        "parent",
                        f"no organisation named '{parent_name}'",
                    )
                )
                continue
            org.parent = parent
            try:
                org.full_clean()
            except ValidationError as exc:
                for field, messages in exc.message_dict.items():
                    problems.append(
                        ImportProblem(filename, f"row {row.number}", field, " ".join(messages))
                    )
                continue
            org.save()
        if problems:
            raise ImportFailedError(problems)
    return counts
