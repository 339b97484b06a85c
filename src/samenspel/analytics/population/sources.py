"""Find the files of a dataset folder: ``<table>.parquet`` or ``<table>.csv`` per table."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .contract import TABLES


def gettext_noop(message: str) -> str:
    """Marks a message for the translation catalogue; the web layer translates it."""
    return message


class DatasetError(ValueError):
    """The dataset folder is incomplete or unreadable; ``message`` % ``params`` says why."""

    def __init__(self, message: str, params: dict[str, object] | None = None) -> None:
        self.message, self.params = message, params or {}
        super().__init__(message % self.params if self.params else message)


def read_text(source: Path | bytes, name: str | None, default: str) -> tuple[str, str]:
    """(text, name) of a file given as a path or as bytes: UTF-8 (with or without BOM), else
    Windows-1252, as spreadsheet programs write it."""
    if isinstance(source, bytes):
        data, name = source, name or default
    else:
        data, name = Path(source).read_bytes(), name or Path(source).name
    try:
        return data.decode("utf-8-sig"), name
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace"), name


@dataclass(frozen=True)
class TableFile:
    table: str
    path: Path
    kind: str  # "csv" or "parquet"


def find_tables(folder: Path) -> dict[str, TableFile]:
    folder = Path(folder)
    if not folder.is_dir():
        raise DatasetError(gettext_noop("not a folder"))
    found: dict[str, TableFile] = {}
    missing = []
    for table in TABLES:
        parquet, csv = folder / f"{table}.parquet", folder / f"{table}.csv"
        if parquet.exists():
            found[table] = TableFile(table, parquet, "parquet")
        elif csv.exists():
            found[table] = TableFile(table, csv, "csv")
        else:
            missing.append(f"{table}.csv / {table}.parquet")
    if missing:
        raise DatasetError(gettext_noop("missing %(files)s"), {"files": ", ".join(missing)})
    return found
