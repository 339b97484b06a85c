"""Backup and restore of the whole installation: every record, and the datasets' files.

A backup is one file: a gzipped tar archive holding ``manifest.json`` (format, version, the
schema's migrations, a count per model, a checksum per member), ``records.json`` (every record,
written by Django's serialiser with plain keys, so it restores into an empty database of any
kind) and ``datasets/…`` (the person-level files of every population dataset). With a
passphrase, the archive is encrypted in the age format (``age -d`` decrypts it, too).

Restore reads and checks the whole file before it touches anything; it then replaces the
records in one transaction, resets the sequences and moves the datasets into place. A file that
is empty, truncated, foreign, of an unknown version, or encrypted with another passphrase is
refused with one sentence, and nothing changes.
"""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import io
import json
import shutil
import tarfile
import tempfile
import uuid
import zlib
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.core.management.color import no_style
from django.core.serializers.base import DeserializationError, DeserializedObject
from django.core.serializers.json import DjangoJSONEncoder
from django.db import DatabaseError, connection, models, transaction
from django.db.migrations.loader import MigrationLoader
from django.utils.translation import gettext as _

from samenspel.web.core.models import DataVersion
from samenspel.web.core.worker import unapplied_migrations

FORMAT = "samenspel-backup"
VERSION = 2
AGE_MAGIC = b"age-encryption.org/v1"
# Not backed up: rebuilt by `migrate` (content types, permissions), or meaningless on another
# server (sessions, log-in throttling, the admin's log, the task queue). Restore empties the
# ones that refer to users, so no old session or queued task points at another person.
NOT_BACKED_UP = {"contenttypes", "sessions", "admin", "axes", "django_tasks_db"}
NOT_BACKED_UP_MODELS = {"auth.permission", "partnership.workerheartbeat"}
EMPTIED_ON_RESTORE = {"sessions", "admin", "django_tasks_db"}
DATASET_MODEL = "monitoring.dataset"


class BackupError(Exception):
    """A backup that cannot be written or restored; the message is one translated sentence."""


@dataclass
class Restored:
    """What a restore did."""

    records: int
    files: int
    missing_datasets: list[str] = field(default_factory=list)


# --------------------------------------------------------------------------- writing


def _models() -> list[type[models.Model]]:
    """Every model whose records a backup holds, parents before children."""
    chosen = [
        m
        for m in apps.get_models()
        if m._meta.app_label not in NOT_BACKED_UP
        and m._meta.label_lower not in NOT_BACKED_UP_MODELS
        and not m._meta.proxy
        and m._meta.managed
    ]
    return serializers.sort_dependencies([(None, chosen)], allow_cycles=True)


def _permission_key(pk: int, cache: dict[int, list[str]]) -> list[str]:
    if not cache:
        from django.contrib.auth.models import Permission

        for p in Permission.objects.select_related("content_type"):
            cache[p.pk] = [p.codename, p.content_type.app_label, p.content_type.model]
    return cache[pk]


def _records() -> list[dict[str, Any]]:
    """Every record as Django's serialiser writes it, with plain keys and relative folders."""
    out: list[dict[str, Any]] = []
    permissions: dict[int, list[str]] = {}
    root = _datasets_root()
    for model in _models():
        rows = model._base_manager.order_by("pk").iterator()
        for record in serializers.serialize("python", rows):
            fields = record["fields"]
            # permissions are numbered per database: refer to them by name instead
            for name in ("user_permissions", "permissions"):
                if name in fields and model._meta.app_label == "auth":
                    fields[name] = [_permission_key(pk, permissions) for pk in fields[name]]
            if record["model"] == DATASET_MODEL and fields.get("folder"):
                fields["folder"] = _relative(Path(fields["folder"]), root)
            out.append(record)
    return out


def _datasets_root() -> Path:
    return Path(settings.SAMENSPEL_DATASETS_DIR).resolve()


def _relative(folder: Path, root: Path) -> str:
    try:
        return folder.resolve().relative_to(root).as_posix()
    except ValueError:  # a folder outside the datasets root is kept as it is
        return str(folder)


def _applied_migrations() -> dict[str, list[str]]:
    loader = MigrationLoader(connection, ignore_no_migrations=True)
    applied: dict[str, list[str]] = {}
    for app_label, name in sorted(loader.applied_migrations or {}):
        applied.setdefault(app_label, []).append(name)
    return applied


def _dataset_files(records: list[dict[str, Any]]) -> Iterator[tuple[str, Path]]:
    """(name in the archive, path on disk) of every file of every dataset."""
    root = _datasets_root()
    for record in records:
        if record["model"] != DATASET_MODEL:
            continue
        relative = record["fields"].get("folder") or ""
        folder = root / relative
        if not relative or Path(relative).is_absolute() or not folder.is_dir():
            continue
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            yield f"datasets/{path.relative_to(root).as_posix()}", path


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _add_bytes(archive: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = int(dt.datetime.now(tz=dt.UTC).timestamp())
    info.mode = 0o600
    archive.addfile(info, io.BytesIO(data))


def backup(path: Path, *, passphrase: str | None = None, datasets: bool = True) -> int:
    """Write the whole installation to ``path``; returns the number of records.

    The file appears whole or not at all. ``datasets=False`` leaves the datasets' files out;
    the manifest then lists each with its size and checksum, to be copied by hand.
    """
    try:
        missing = unapplied_migrations()
    except DatabaseError:
        raise BackupError(_("The database cannot be reached; no backup was written.")) from None
    if missing:
        raise BackupError(
            _("The database is not ready (%(count)d migrations to apply): run `samenspel "
              "migrate` first; no backup was written.") % {"count": missing}
        )
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        if outermost and connection.vendor == "postgresql":
            with connection.cursor() as cursor:  # one consistent snapshot of every table
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        records = _records()
        migrations = _applied_migrations()
    body = json.dumps(records, cls=DjangoJSONEncoder, ensure_ascii=False).encode("utf-8")
    files = list(_dataset_files(records))
    counts = Counter(record["model"] for record in records)
    listed: list[dict[str, Any]] = [
        {"name": name, "size": p.stat().st_size, "sha256": _sha256(p)} for name, p in files
    ]
    manifest = {
        "format": FORMAT,
        "version": VERSION,
        "created_at": dt.datetime.now(tz=dt.UTC).isoformat(timespec="seconds"),
        "database": connection.vendor,
        "migrations": migrations,
        "records": len(records),
        "counts": counts,
        "records_sha256": hashlib.sha256(body).hexdigest(),
        "files": listed if datasets else [],
        "left_out": [] if datasets else [
            {**entry, "copy_to": f"$SAMENSPEL_DATA_DIR/{entry['name']}"} for entry in listed
        ],
        "encrypted": passphrase is not None,
    }
    target = Path(path)
    with tempfile.NamedTemporaryFile(dir=target.parent, prefix=".backup-", delete=False) as tmp:
        partial = Path(tmp.name)
    try:
        with tarfile.open(partial, "w:gz") as archive:
            _add_bytes(archive, "manifest.json", json.dumps(manifest, indent=1).encode())
            _add_bytes(archive, "records.json", body)
            if datasets:
                for name, source in files:
                    archive.add(source, arcname=name, recursive=False)
        if passphrase is not None:
            from pyrage import passphrase as age

            partial.write_bytes(age.encrypt(partial.read_bytes(), passphrase))
        partial.chmod(0o600)
        partial.replace(target)
    finally:
        partial.unlink(missing_ok=True)
    return len(records)


# --------------------------------------------------------------------------- reading


@dataclass
class Backup:
    """A backup read and checked in full, before anything is changed."""

    manifest: dict[str, Any]
    records: list[dict[str, Any]]
    archive: tarfile.TarFile | None


def _not_ours() -> BackupError:
    return BackupError(_("This file is not a Samenspel backup; nothing was changed."))


def _damaged() -> BackupError:
    return BackupError(_("This backup is damaged or incomplete (cut off?); nothing was changed."))


def _decrypt(raw: bytes, passphrase: str | None) -> bytes:
    if passphrase is None:
        raise BackupError(_("This backup is encrypted: give its passphrase; nothing was changed."))
    from pyrage import DecryptError
    from pyrage import passphrase as age

    try:
        return bytes(age.decrypt(raw, passphrase))
    except DecryptError:
        raise BackupError(
            _("The passphrase does not open this backup (or the file is damaged); nothing was "
              "changed.")
        ) from None


def _head(path: Path) -> bytes:
    with open(path, "rb") as handle:
        return handle.read(len(AGE_MAGIC))


def is_encrypted(path: Path) -> bool:
    """Whether the backup in ``path`` needs a passphrase."""
    return _head(path) == AGE_MAGIC


def read(path: Path, *, passphrase: str | None = None) -> Backup:
    """Read and check a backup whole; ``BackupError`` names what is wrong."""
    source = Path(path)
    head = _head(source)
    if not head:
        raise BackupError(_("The backup file is empty; nothing was changed."))
    stream: io.BytesIO | Path = source
    if head == AGE_MAGIC:
        stream = io.BytesIO(_decrypt(source.read_bytes(), passphrase))
    try:
        # stays open until the restore has extracted the datasets (restore() closes it)
        if isinstance(stream, io.BytesIO):
            archive = tarfile.open(fileobj=stream, mode="r:*")  # noqa: SIM115
        else:
            archive = tarfile.open(stream, mode="r:*")  # noqa: SIM115
    except tarfile.ReadError:
        return _read_legacy(stream)
    except (EOFError, OSError, tarfile.TarError, gzip.BadGzipFile):
        raise _damaged() from None
    try:
        return _check_archive(archive)
    except (EOFError, OSError, tarfile.TarError, zlib.error):
        archive.close()
        raise _damaged() from None
    except BackupError:
        archive.close()
        raise


def _member(archive: tarfile.TarFile, name: str) -> bytes:
    try:
        member = archive.getmember(name)
    except KeyError:
        raise _not_ours() from None
    handle = archive.extractfile(member)
    if handle is None:
        raise _not_ours()
    return handle.read()


def _check_archive(archive: tarfile.TarFile) -> Backup:
    try:
        manifest = json.loads(_member(archive, "manifest.json"))
    except (ValueError, UnicodeDecodeError):
        raise _not_ours() from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise _not_ours()
    version = manifest.get("version")
    if not isinstance(version, int) or version > VERSION or version < 2:
        raise BackupError(
            _("This backup has format version %(version)s, which this version of Samenspel "
              "cannot read; nothing was changed.") % {"version": version}
        )
    body = _member(archive, "records.json")
    if hashlib.sha256(body).hexdigest() != manifest.get("records_sha256"):
        raise _damaged()
    _check_schema(manifest.get("migrations"))
    names = {m.name for m in archive.getmembers() if m.isfile()}
    for entry in manifest.get("files", []):
        if entry.get("name") not in names:
            raise _damaged()
    try:
        records = json.loads(body)
    except ValueError:
        raise _damaged() from None
    _check_records(records)
    return Backup(manifest, records, archive)


def _read_legacy(stream: io.BytesIO | Path) -> Backup:
    """Format 1: the bare JSON list of the first versions (records only, natural keys)."""
    raw = stream.getvalue() if isinstance(stream, io.BytesIO) else stream.read_bytes()
    try:
        if raw[:2] == b"\x1f\x8b":
            raw = gzip.decompress(raw)
        records = json.loads(raw.decode("utf-8"))
    except (EOFError, OSError, gzip.BadGzipFile, zlib.error):
        raise _damaged() from None
    except (ValueError, UnicodeDecodeError):
        raise _not_ours() from None
    _check_records(records)
    manifest = {"format": FORMAT, "version": 1, "records": len(records), "files": []}
    return Backup(manifest, records, None)


def _check_schema(migrations: object) -> None:
    """Refuse a backup made by a newer version (migrations this version does not know)."""
    if not isinstance(migrations, dict):
        raise _not_ours()
    known = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    unknown = [
        f"{app}.{name}"
        for app, names in migrations.items()
        for name in (names if isinstance(names, list) else [])
        if (app, name) not in known
    ]
    if unknown:
        raise BackupError(
            _("This backup was made by a newer version of Samenspel (it knows %(migration)s); "
              "upgrade first, then restore. Nothing was changed.") % {"migration": unknown[0]}
        )


def _check_records(records: object) -> None:
    if not isinstance(records, list) or not all(
        isinstance(r, dict)
        and isinstance(r.get("model"), str)
        and isinstance(r.get("fields"), dict)
        for r in records
    ):
        raise _not_ours()
    if not records:
        raise BackupError(_("This backup holds no records; nothing was changed."))
    labels = {m._meta.label_lower for m in apps.get_models()}
    strange = sorted({r["model"] for r in records} - labels)
    if strange:
        raise BackupError(
            _("This backup holds records this version of Samenspel does not know (%(model)s); "
              "nothing was changed.") % {"model": strange[0]}
        )
    if not any(r["model"] in ("partnership.programme", "auth.user") for r in records):
        raise _not_ours()


# --------------------------------------------------------------------------- restoring


def database_is_empty() -> bool:
    """No user and no programme: a database that a restore cannot overwrite by mistake."""
    from django.contrib.auth import get_user_model

    from samenspel.web.core.models import Programme

    return not get_user_model().objects.exists() and not Programme.objects.exists()


def _objects(found: Backup, root: Path) -> Iterator[DeserializedObject]:
    """The records as objects, deserialised one by one as they are saved (a format 1 backup
    refers to users by name, so a user must be saved before the roles that name it)."""
    records = found.records
    if found.manifest["version"] >= 2:
        for record in records:
            folder = record["fields"].get("folder") if record["model"] == DATASET_MODEL else None
            if folder and not Path(folder).is_absolute():
                record["fields"]["folder"] = str(root / folder)
    return serializers.deserialize("python", records, handle_forward_references=True)


def _tables_to_empty() -> list[str]:
    restored = _models()
    tables = [m._meta.db_table for m in restored]
    for model in apps.get_models(include_auto_created=True):
        if model._meta.app_label in EMPTIED_ON_RESTORE:
            tables.append(model._meta.db_table)
    for model in restored:  # the many-to-many tables
        for m2m in model._meta.local_many_to_many:
            through = m2m.remote_field.through
            if through is not None:
                tables.append(through._meta.db_table)
    return sorted(set(tables) & set(connection.introspection.table_names()))


def _extract(found: Backup, staging: Path) -> int:
    """Write the datasets' files into ``staging``; the checksums must match."""
    if found.archive is None:
        return 0
    expected = {e["name"]: e for e in found.manifest.get("files", [])}
    count = 0
    for member in found.archive.getmembers():
        if not member.isfile() or member.name not in expected:
            continue
        relative = Path(member.name).relative_to("datasets")
        if ".." in relative.parts or relative.is_absolute():
            raise _damaged()
        target = staging / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        handle = found.archive.extractfile(member)
        if handle is None:
            raise _damaged()
        digest = hashlib.sha256()
        with open(target, "wb") as out:
            for chunk in iter(lambda h=handle: h.read(1 << 20), b""):  # type: ignore[misc]
                digest.update(chunk)
                out.write(chunk)
        if digest.hexdigest() != expected[member.name]["sha256"]:
            raise _damaged()
        count += 1
    return count


def _replace_records(objects: Iterator[DeserializedObject]) -> int:
    """Empty the tables and save every record, in the caller's transaction; returns the count."""
    with connection.cursor() as cursor:
        for sql in connection.ops.sql_flush(
            no_style(), _tables_to_empty(), reset_sequences=False, allow_cascade=True
        ):
            cursor.execute(sql)
    deferred = []
    versions = []
    saved: set[type[models.Model]] = set()
    count = 0
    for obj in objects:
        count += 1
        saved.add(type(obj.object))
        if isinstance(obj.object, DataVersion):
            versions.append(obj)
            continue
        obj.save()
        if obj.deferred_fields:
            deferred.append(obj)
    for obj in deferred:
        obj.save_deferred_fields()
    # Saving a programme's records gives it a new data version (core.signals); its version is
    # saved last, so the restored programme keeps the version its cached figures belong to.
    for obj in versions:
        obj.save()
    statements = connection.ops.sequence_reset_sql(no_style(), list(saved))
    if statements:
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)
    _stop_unfinished_runs()
    return count


def _stop_unfinished_runs() -> None:
    """Runs that were queued or running when the backup was made have no worker any more."""
    from django.utils import timezone

    from samenspel.web.monitoring.models import ABANDONED, RegiobeeldRun

    RegiobeeldRun.objects.filter(
        status__in=[RegiobeeldRun.Status.QUEUED, RegiobeeldRun.Status.RUNNING]
    ).update(status=RegiobeeldRun.Status.FAILED, error=str(ABANDONED), finished_at=timezone.now())


def restore(path: Path, *, passphrase: str | None = None, replace: bool = False) -> Restored:
    """Replace the installation by the backup in ``path``: all or nothing.

    A database that holds users or programmes is only replaced with ``replace=True``.
    """
    found = read(path, passphrase=passphrase)
    root = _datasets_root()
    staging = root / f".restore-{uuid.uuid4().hex}"
    try:
        if not replace and not database_is_empty():
            raise BackupError(
                _("The database is not empty; confirm with --yes that the backup replaces "
                  "everything in it. Nothing was changed.")
            )
        staging.mkdir(parents=True)
        try:
            files = _extract(found, staging)
        except (EOFError, gzip.BadGzipFile, tarfile.TarError, zlib.error):
            raise _damaged() from None
        try:
            with transaction.atomic():
                count = _replace_records(_objects(found, root))
        except (DeserializationError, LookupError, ValueError, TypeError):
            raise BackupError(
                _("The records in this backup do not fit this version of Samenspel; nothing "
                  "was changed.")
            ) from None
        except DatabaseError:
            raise BackupError(
                _("The database refused the backup's records; nothing was changed.")
            ) from None
        _move_into_place(staging, root)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
        if found.archive is not None:
            found.archive.close()
    return Restored(count, files, _missing_datasets())


def _move_into_place(staging: Path, root: Path) -> None:
    """Put the restored files where the records say, and remove folders no record names."""
    from samenspel.web.monitoring.models import Dataset

    for folder in sorted(p for p in staging.glob("*/*") if p.is_dir()):
        final = root / folder.relative_to(staging)
        if final.exists():
            shutil.rmtree(final)
        final.parent.mkdir(parents=True, exist_ok=True)
        folder.rename(final)
    kept = {Path(f).resolve() for f in Dataset.objects.values_list("folder", flat=True) if f}
    for folder in root.glob("programme-*/dataset-*"):
        if folder.resolve() not in kept:
            shutil.rmtree(folder, ignore_errors=True)


def _missing_datasets() -> list[str]:
    from samenspel.web.monitoring.models import Dataset

    return [
        f"{d.name} ({d.folder})"
        for d in Dataset.objects.order_by("pk")
        if not d.folder or not Path(d.folder).is_dir()
    ]
