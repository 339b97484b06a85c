"""Find the files of a dataset folder: ``<table>.parquet`` or ``<table>.csv`` per table."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .contract import TABLES


class DatasetError(ValueError):
    """The dataset folder is incomplete or unreadable."""


@dataclass(frozen=True)
class TableFile:
    table: str
    path: Path
    kind: str  # "csv" or "parquet"


def find_tables(folder: Path) -> dict[str, TableFile]:
    folder = Path(folder)
    if not folder.is_dir():
        raise DatasetError(f"{folder}: not a folder")
    found: dict[str, TableFile] = {}
    missing = []
    for table in TABLES:
        parquet, csv = folder / f"{table}.parquet", folder / f"{table}.csv"
        if parquet.exists():
            found[table] = TableFile(table, parquet, "parquet")
        elif csv.exists():
            found[table] = TableFile(table, csv, "csv")
        else:
            missing.append(f"{table}.csv or {table}.parquet")
    if missing:
        raise DatasetError(f"{folder}: missing {', '.join(missing)}")
    return found
