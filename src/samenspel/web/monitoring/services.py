"""Datasets and regiobeeld runs: store uploads atomically, generate synthetic data, start runs."""

from __future__ import annotations

import gzip
import re
import shutil
import uuid
from collections.abc import Mapping
from pathlib import Path
from typing import cast

import duckdb
from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from samenspel.analytics.population.cbs import CbsPopulation, read_cbs_population
from samenspel.analytics.population.contract import TABLES
from samenspel.analytics.population.engine import ENGINES
from samenspel.analytics.population.municipalities import match, postcode_area
from samenspel.analytics.population.sources import find_tables
from samenspel.analytics.population.synthetic import generate
from samenspel.analytics.population.validate import ProblemsError, validate_dataset
from samenspel.analytics.population.vektis import VektisFile, read_vektis
from samenspel.web.core.accounts import audit
from samenspel.web.core.accounts.access import PermissionDeniedError
from samenspel.web.core.accounts.models import ProgrammeRole, Role
from samenspel.web.core.uploads import MAX_PROBLEMS_SHOWN, check_size
from samenspel.web.core.versions import bump

from .models import Dataset, OpenDataFile, RegiobeeldRun, RegionArea
from .runs import describe_problem
from .tasks import compute_regiobeeld


class DatasetRejectedError(Exception):
    """The dataset breaks the contract; nothing was kept."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("\n".join(problems))

UPLOAD_SUFFIXES = (".parquet", ".csv.gz", ".csv")  # longest first: .csv.gz before .csv


def may_manage(role: ProgrammeRole) -> bool:
    """Programme directors and partner members (e.g. the monitoring group's analyst)."""
    return role.role in (Role.DIRECTOR, Role.PARTNER)


def _require(role: ProgrammeRole) -> None:
    if not may_manage(role):
        raise PermissionDeniedError("Viewers cannot add datasets or start runs.")


def _root() -> Path:
    root = Path(settings.SAMENSPEL_DATASETS_DIR)
    root.mkdir(parents=True, exist_ok=True)
    return root


def _size(folder: Path) -> tuple[int, int]:
    files = find_tables(folder)
    con = duckdb.connect()
    try:
        counts = []
        for table in ("persons", "care_events"):
            row = con.execute(f"SELECT count(*) FROM {files[table].relation_sql()}").fetchone()
            counts.append(int(row[0]) if row else 0)
    finally:
        con.close()
    return counts[0], counts[1]


def _keep(
    role: ProgrammeRole, user: AbstractBaseUser, name: str, kind: str, incoming: Path
) -> Dataset:
    """Move a validated folder into place and record it; on any failure nothing remains."""
    persons, events = _size(incoming)
    try:
        with transaction.atomic():
            dataset = Dataset.objects.create(
                programme_id=role.programme_id,
                name=name.strip() or kind,
                kind=kind,
                persons=persons,
                events=events,
                created_by=user,
            )
            # A fresh name each time: database ids can be reused (after a rollback or a reset),
            # folders must never be.
            final = (
                _root()
                / f"programme-{role.programme_id}"
                / f"dataset-{dataset.pk}-{uuid.uuid4().hex[:12]}"
            )
            final.parent.mkdir(parents=True, exist_ok=True)
            incoming.rename(final)
            dataset.folder = str(final)
            dataset.save(update_fields=["folder"])
            audit.record(
                user, role.programme, "dataset added", f"dataset {dataset.pk} {dataset.name}"
            )
    finally:
        if incoming.exists():
            shutil.rmtree(incoming, ignore_errors=True)
    return cast("Dataset", dataset)


def add_uploaded_dataset(
    *,
    role: ProgrammeRole,
    user: AbstractBaseUser,
    name: str,
    files: Mapping[str, UploadedFile[bytes]],
) -> Dataset:
    """Store three uploaded files (persons, conditions, care_events; .csv, .csv.gz or
    .parquet)."""
    _require(role)
    problems = []
    for table in TABLES:
        upload = files.get(table)
        if upload is None:
            problems.append(_("Upload the %(table)s file.") % {"table": table})
        elif not (upload.name or "").lower().endswith(UPLOAD_SUFFIXES):
            problems.append(
                _("%(file)s: use a .csv, .csv.gz or .parquet file.") % {"file": upload.name}
            )
        else:
            try:
                check_size(upload)
            except ValidationError as exc:
                problems += exc.messages
    if problems:
        raise DatasetRejectedError(problems)
    incoming = _root() / "incoming" / uuid.uuid4().hex
    incoming.mkdir(parents=True)
    try:
        for table in TABLES:
            upload = files[table]
            lower = (upload.name or "").lower()
            suffix = next(s for s in UPLOAD_SUFFIXES if lower.endswith(s))
            with open(incoming / f"{table}{suffix}", "wb") as target:
                for chunk in upload.chunks():
                    target.write(chunk)
        found = validate_dataset(incoming)
        if found:
            raise DatasetRejectedError([describe_problem(p) for p in found])
        return _keep(role, user, name, Dataset.Kind.UPLOAD, incoming)
    finally:
        if incoming.exists():
            shutil.rmtree(incoming, ignore_errors=True)


def importable_folders() -> list[str]:
    """Sub-folders of SAMENSPEL_IMPORT_DIR that can be registered as datasets."""
    root = Path(settings.SAMENSPEL_IMPORT_DIR)
    if not root.is_dir():
        return []
    return sorted(p.name for p in root.iterdir() if p.is_dir() and not p.name.startswith("."))


def register_folder(
    *, role: ProgrammeRole, user: AbstractBaseUser, name: str, folder: str
) -> Dataset:
    """Copy a validated server folder (under SAMENSPEL_IMPORT_DIR) into the programme."""
    _require(role)
    if folder not in importable_folders():
        raise DatasetRejectedError([_("No such folder to register: %(f)s") % {"f": folder}])
    source = Path(settings.SAMENSPEL_IMPORT_DIR) / folder
    found = validate_dataset(source)
    if found:
        raise DatasetRejectedError([describe_problem(p) for p in found])
    incoming = _root() / "incoming" / uuid.uuid4().hex
    try:
        incoming.mkdir(parents=True)
        for source_file in find_tables(source).values():
            if source_file.parts:  # a folder of parts stays one
                shutil.copytree(source_file.path, incoming / source_file.path.name)
            else:
                shutil.copyfile(source_file.path, incoming / source_file.path.name)
        return _keep(role, user, name or folder, Dataset.Kind.REGISTERED, incoming)
    finally:
        if incoming.exists():
            shutil.rmtree(incoming, ignore_errors=True)


def add_synthetic_dataset(
    *, role: ProgrammeRole, user: AbstractBaseUser, name: str, persons: int, seed: int = 0
) -> Dataset:
    _require(role)
    limit = settings.SAMENSPEL_WEB_SYNTH_LIMIT
    if not 1 <= persons <= limit:
        raise DatasetRejectedError(
            [
                _("Choose between 1 and %(limit)d persons (use the command line for more).")
                % {"limit": limit}
            ]
        )
    incoming = _root() / "incoming" / uuid.uuid4().hex
    try:
        generate(incoming, persons=persons, seed=seed)
        return _keep(role, user, name, Dataset.Kind.SYNTHETIC, incoming)
    finally:
        if incoming.exists():
            shutil.rmtree(incoming, ignore_errors=True)


def start_run(
    *,
    role: ProgrammeRole,
    user: AbstractBaseUser,
    dataset: Dataset,
    engine: str = "duckdb",
    method: str = RegiobeeldRun.Method.EXACT,
) -> RegiobeeldRun:
    """Queue a regiobeeld run; a worker computes it in the background."""
    _require(role)
    if engine not in ENGINES:
        raise DatasetRejectedError([_("Unknown engine.")])
    if method not in RegiobeeldRun.Method.values:
        raise DatasetRejectedError([_("Choose exact or rounded counts.")])
    with transaction.atomic():
        run = _queue_run(role=role, user=user, dataset=dataset, engine=engine, method=method)
    return run


def _queue_run(
    *, role: ProgrammeRole, user: AbstractBaseUser, dataset: Dataset, engine: str, method: str
) -> RegiobeeldRun:
    run = RegiobeeldRun.objects.create(
        programme_id=role.programme_id,
        dataset=dataset,
        engine=engine,
        method=method,
        created_by=user,
        threshold=settings.SAMENSPEL_SUPPRESSION_THRESHOLD,
    )
    audit.record(
        user, role.programme, "regiobeeld run started",
        f"run {run.pk} on dataset {dataset.pk} ({engine}, {method})",
    )  # fmt: skip
    transaction.on_commit(lambda: compute_regiobeeld.enqueue(run.pk))
    return cast("RegiobeeldRun", run)


def delete_dataset(*, role: ProgrammeRole, dataset: Dataset) -> None:
    if role.role != Role.DIRECTOR:
        raise PermissionDeniedError("Only the programme director deletes datasets.")
    folder = Path(dataset.folder) if dataset.folder else None
    with transaction.atomic():
        audit.record(
            role.user, role.programme, "dataset deleted", f"dataset {dataset.pk} {dataset.name}"
        )
        dataset.delete()
    if folder and folder.is_relative_to(_root()):
        shutil.rmtree(folder, ignore_errors=True)


# --------------------------------------------------------------------------- open data


def read_open_data(kind: str, name: str, content: bytes) -> VektisFile | CbsPopulation:
    """Parse an open-data file; ``DatasetRejectedError`` lists every problem, translated."""
    try:
        if kind == OpenDataFile.Kind.VEKTIS:
            return read_vektis(content, name=name)
        return read_cbs_population(content, name=name)
    except ProblemsError as exc:
        raise DatasetRejectedError([describe_problem(p) for p in exc.problems]) from exc


def add_open_data_file(
    *,
    role: ProgrammeRole,
    user: AbstractBaseUser | None,
    kind: str,
    name: str,
    content: bytes,
    synthetic: bool = False,
) -> OpenDataFile:
    """Keep a Vektis or CBS file whole, once it reads without a single problem.

    A Vektis file of a year (and level) already loaded replaces that file.
    """
    _require(role)
    if kind not in OpenDataFile.Kind.values:
        raise DatasetRejectedError([_("Choose Vektis or CBS.")])
    parsed = read_open_data(kind, name, content)
    year = parsed.year if isinstance(parsed, VektisFile) else None
    level = parsed.level if isinstance(parsed, VektisFile) else ""
    areas = len(parsed.areas) if isinstance(parsed, VektisFile) else len(parsed.persons)
    with transaction.atomic():
        same = OpenDataFile.objects.filter(programme_id=role.programme_id, kind=kind)
        if kind == OpenDataFile.Kind.VEKTIS:
            same.filter(year=year, level=level).delete()
        else:
            same.delete()
        file = OpenDataFile.objects.create(
            programme_id=role.programme_id,
            kind=kind,
            name=name[:200],
            year=year,
            level=level,
            synthetic=synthetic,
            content=gzip.compress(content),
            rows=areas,
            created_by=user,
        )
        audit.record(user, role.programme, "open data added", f"file {file.pk} {file.name}")
        return cast("OpenDataFile", file)


def upload_open_data(
    *, role: ProgrammeRole, user: AbstractBaseUser, kind: str, upload: UploadedFile[bytes] | None
) -> OpenDataFile:
    """An uploaded open-data file: size checked, then stored whole or not at all."""
    _require(role)
    if upload is None:
        raise DatasetRejectedError([_("Choose a file.")])
    try:
        check_size(upload)
    except ValidationError as exc:
        raise DatasetRejectedError(exc.messages) from exc
    return add_open_data_file(
        role=role, user=user, kind=kind, name=upload.name or "open-data.csv", content=upload.read()
    )


@transaction.atomic
def delete_open_data_file(*, role: ProgrammeRole, file: OpenDataFile) -> None:
    _require(role)
    audit.record(role.user, role.programme, "open data deleted", f"file {file.pk} {file.name}")
    file.delete()


def set_region_areas(*, role: ProgrammeRole, text: str) -> list[str]:
    """The region's municipalities (names or CBS codes) and postcode areas, one per line or
    separated by commas or semicolons; replaces the previous set. Returns the CBS codes."""
    _require(role)
    codes: list[str] = []
    unknown: list[str] = []
    for part in re.split(r"[\n;,]+", text):
        entry = part.strip()
        if not entry:
            continue
        code = postcode_area(entry) or match(entry)
        if code is None:
            unknown.append(entry)
        elif code not in codes:
            codes.append(code)
    if unknown:
        raise DatasetRejectedError(
            [
                _("No Dutch municipality is called '%(name)s'; check the spelling.") % {"name": n}
                for n in unknown[:MAX_PROBLEMS_SHOWN]
            ]
        )
    with transaction.atomic():
        RegionArea.objects.filter(programme_id=role.programme_id).delete()
        RegionArea.objects.bulk_create(
            RegionArea(programme_id=role.programme_id, code=code) for code in codes
        )
        bump(role.programme_id)
        audit.record(role.user, role.programme, "region areas set", ", ".join(codes))
    return codes
