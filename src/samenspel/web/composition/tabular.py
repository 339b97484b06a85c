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
from django.db import models
from django.utils import translation
from django.utils.translation import gettext as _

from samenspel.web.core.accounts.access import may_change, sees_contact_details
from samenspel.web.core.accounts.models import ProgrammeRole
from samenspel.web.core.models import Organisation, Person
from samenspel.web.core.resources import RESOURCES
from samenspel.web.core.uploads import row_label

from .exchange import ImportFailedError, ImportProblem

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
        raise ImportFailedError([ImportProblem(filename, "", "", _("use a .csv or .xlsx file"))])


def _header(filename: str, cells: list[Any]) -> list[str]:
    header = [str(c).strip().lower() if c is not None else "" for c in cells]
    if not any(header):
        raise ImportFailedError(
            [ImportProblem(filename, row_label(1), "", _("the header row is empty"))]
        )
    return header


def decode_text(filename: str, content: bytes) -> str:
    """The text of a CSV file in UTF-8, or in Windows-1252 (what Dutch Excel saves as "CSV")."""
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return content.decode("cp1252")
    except UnicodeDecodeError as exc:
        raise ImportFailedError(
            [
                ImportProblem(
                    filename,
                    "",
                    "",
                    _(
                        "the text encoding is not recognised (byte %(byte)d). In Excel choose "
                        "Save as → 'CSV UTF-8 (comma delimited)'."
                    )
                    % {"byte": exc.start + 1},
                )
            ]
        ) from exc


def _csv_rows(filename: str, content: bytes) -> Iterator[Row]:
    text = decode_text(filename, content)
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    rows = list(reader)
    if not rows:
        raise ImportFailedError([ImportProblem(filename, "", "", _("the file is empty"))])
    header = _header(filename, list(rows[0]))
    for number, cells in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) > len(header):
            raise ImportFailedError(
                [
                    ImportProblem(
                        filename, row_label(number), "", _("more cells than header columns")
                    )
                ]
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
            [ImportProblem(filename, "", "", _("not a readable Excel workbook (.xlsx)"))]
        ) from exc
    sheet = workbook.worksheets[0]
    iterator = sheet.iter_rows(values_only=True)
    first = next(iterator, None)
    if first is None:
        raise ImportFailedError([ImportProblem(filename, "", "", _("the first sheet is empty"))])
    header = _header(filename, list(first))
    for number, cells in enumerate(iterator, start=2):
        values = ["" if c is None else str(c).strip() for c in cells]
        if not any(values):
            continue
        yield Row(number, {h: (values[i] if i < len(values) else "") for i, h in enumerate(header)})
    workbook.close()


def _choice_lookup(field: models.Field[Any, Any]) -> dict[str, str]:
    lookup: dict[str, str] = {}
    for code, label in field.choices or []:
        lookup[str(code).lower()] = str(code)
        for language in ("nl", "en"):
            with translation.override(language):
                lookup[str(label).strip().lower()] = str(code)
    return lookup


def _choices_text(field: models.Field[Any, Any]) -> str:
    return ", ".join(str(code) for code, _label in field.choices or [])


class TableImport:
    """One import of organisations or people: collects every problem before deciding."""

    def __init__(self, role: ProgrammeRole, kind: str, filename: str) -> None:
        self.role, self.kind, self.filename = role, kind, filename
        self.model: type[Organisation] | type[Person] = (
            Organisation if kind == "organisations" else Person
        )
        self.choice_fields = {
            name: f
            for name in COLUMNS[kind]
            if isinstance(f := self.model._meta.get_field(name), models.Field) and f.choices
        }
        self.lookups = {name: _choice_lookup(f) for name, f in self.choice_fields.items()}
        self.organisations = {
            o.name.lower(): o for o in Organisation.objects.filter(programme_id=role.programme_id)
        }
        self.problems: list[ImportProblem] = []
        self.counts = {"created": 0, "updated": 0}
        self.seen: set[tuple[str, str]] = set()
        self.pending_parents: list[tuple[Row, Organisation, str]] = []

    def problem(self, row: int, column: str, message: str) -> None:
        self.problems.append(ImportProblem(self.filename, row_label(row), column, message))

    def check_header(self, header: set[str]) -> None:
        for column in sorted(header - set(COLUMNS[self.kind]) - {""}):
            self.problem(
                1,
                column,
                _("unknown column; expected %(columns)s")
                % {"columns": ", ".join(COLUMNS[self.kind])},
            )
        for column in REQUIRED[self.kind]:
            if column not in header:
                self.problem(1, column, _("required column is missing"))
        if self.problems:
            raise ImportFailedError(self.problems)

    def _values(self, row: Row) -> dict[str, Any] | None:
        """The row's values with choice labels turned into codes; None when a value is bad."""
        data: dict[str, Any] = {}
        ok = True
        for name in COLUMNS[self.kind]:
            raw = row.values.get(name, "")
            if name in REQUIRED[self.kind] and not raw:
                self.problem(row.number, name, _("is required"))
                ok = False
            elif name in self.lookups and raw:
                code = self.lookups[name].get(raw.lower())
                if code is None:
                    self.problem(
                        row.number,
                        name,
                        _("'%(value)s' is not one of: %(choices)s")
                        % {"value": raw, "choices": _choices_text(self.choice_fields[name])},
                    )
                    ok = False
                else:
                    data[name] = code
            elif raw or not self.model._meta.get_field(name).has_default():  # type: ignore[union-attr]
                data[name] = raw
        return data if ok else None

    def _record(self, row: Row, data: dict[str, Any]) -> Organisation | Person | None:
        """The record the row updates or creates (not saved yet)."""
        programme_id = self.role.programme_id
        if self.kind == "organisations":
            parent_name = data.pop("parent", "")
            org = self.organisations.get(data["name"].lower()) or Organisation(
                programme_id=programme_id
            )
            if parent_name:
                self.pending_parents.append((row, org, parent_name))
            return org
        org_name = data.pop("organisation", "")
        organisation = self.organisations.get(org_name.lower()) if org_name else None
        if org_name and organisation is None:
            self.problem(
                row.number,
                "organisation",
                _("no organisation named '%(name)s' in this programme") % {"name": org_name},
            )
            return None
        person = Person.objects.filter(
            programme_id=programme_id, name__iexact=data["name"], organisation=organisation
        ).first() or Person(programme_id=programme_id)
        person.organisation = organisation
        return person

    def _save(self, row: Row, obj: Organisation | Person) -> bool:
        try:
            obj.full_clean()
        except ValidationError as exc:
            for field_name, messages in exc.message_dict.items():
                self.problem(row.number, field_name, " ".join(messages))
            return False
        obj.save()
        return True

    def import_row(self, row: Row) -> None:
        data = self._values(row)
        if data is None:
            return
        key = (data["name"].lower(), data.get("organisation", "").lower())
        if key in self.seen:
            self.problem(row.number, "name", _("appears twice in the file"))
            return
        self.seen.add(key)
        if not sees_contact_details(self.role):  # as in the API: an empty cell keeps it
            for name in RESOURCES[self.kind].contact:
                if data.pop(name, ""):
                    self.problem(row.number, name, _("only the programme director sets this"))
        obj = self._record(row, data)
        if obj is None:
            return
        for name, value in data.items():
            setattr(obj, name, value)
        if not may_change(self.role, obj):
            self.problem(row.number, "", _("you may not change this record"))
            return
        created = obj.pk is None
        if self._save(row, obj):
            self.counts["created" if created else "updated"] += 1
            if isinstance(obj, Organisation):
                self.organisations[obj.name.lower()] = obj

    def link_parents(self) -> None:
        for row, org, parent_name in self.pending_parents:
            parent = self.organisations.get(parent_name.lower())
            if parent is None:
                self.problem(
                    row.number,
                    "parent",
                    _("no organisation named '%(name)s'") % {"name": parent_name},
                )
                continue
            org.parent = parent
            self._save(row, org)
