"""Backup and restore of the whole database as one (gzipped) JSON file.

The backup holds every record of every app (users and roles included), written by Django's
serialisers, so it restores into SQLite or PostgreSQL alike. Restore replaces everything in one
transaction: if the file is damaged, the database is left as it was.
"""

from __future__ import annotations

import gzip
import io
from pathlib import Path

from django.core import serializers
from django.core.management import call_command
from django.db import transaction

EXCLUDE = ["contenttypes", "auth.permission", "sessions", "admin.logentry", "axes"]


def backup(path: Path) -> int:
    """Write the whole database to ``path`` (.json or .json.gz); returns the number of records."""
    buffer = io.StringIO()
    call_command(
        "dumpdata",
        exclude=EXCLUDE,
        natural_foreign=True,
        natural_primary=True,
        indent=None,
        stdout=buffer,
    )
    text = buffer.getvalue()
    data = text.encode("utf-8")
    if str(path).endswith(".gz"):
        data = gzip.compress(data)
    Path(path).write_bytes(data)
    return sum(1 for _ in serializers.deserialize("json", text))


def restore(path: Path) -> int:
    """Replace the database contents by the backup in ``path``; all or nothing."""
    raw = Path(path).read_bytes()
    text = gzip.decompress(raw).decode("utf-8") if raw[:2] == b"\x1f\x8b" else raw.decode()
    objects = list(serializers.deserialize("json", text, handle_forward_references=True))
    with transaction.atomic():
        call_command("flush", interactive=False, verbosity=0, inhibit_post_migrate=True)
        for obj in objects:
            obj.save()
        for obj in objects:
            if obj.deferred_fields:
                obj.save_deferred_fields()
    return len(objects)
