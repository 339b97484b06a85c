"""Find the files of a dataset folder: ``<table>.parquet`` or ``<table>.csv`` per table."""

from __future__ import annotations

import gzip
import zlib
from collections.abc import Iterable
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


def sql_strings(values: Iterable[str | Path]) -> str:
    """Values as DuckDB string literals, comma-separated (a quote doubled)."""
    return ", ".join("'" + str(v).replace("'", "''") + "'" for v in values)


@dataclass(frozen=True)
class TableFile:
    """Where one table of a dataset is: a file, or a folder of parts as Spark, Hive or a
    split export writes them (``care_events/part-*.parquet``, ``care_events/*.csv.gz``)."""

    table: str
    path: Path  # the file, or the folder of the parts
    kind: str  # "csv" or "parquet"
    parts: tuple[Path, ...] = ()

    @property
    def files(self) -> tuple[Path, ...]:
        """Every file of the table, in a fixed order."""
        return self.parts or (self.path,)

    def label(self, file: Path | str) -> str:
        """A file as a message names it: relative to the dataset folder."""
        file = Path(file)
        try:
            return file.relative_to(self.path.parent).as_posix()
        except ValueError:
            return file.name

    def relation_sql(self, *, text: bool = False, **options: object) -> str:
        """DuckDB's reader of every file of the table; ``text`` reads a CSV as text only."""
        files = sql_strings(self.files)
        settings = dict(options)
        if self.kind == "csv":
            settings = {"header": True, "auto_detect": True, **settings}
            if text:
                settings |= {"all_varchar": True, "sample_size": -1}
        written = "".join(
            f", {key} = {str(value).lower() if isinstance(value, bool) else value}"
            for key, value in settings.items()
        )
        reader = "read_csv" if self.kind == "csv" else "read_parquet"
        return f"{reader}([{files}]{written})"


CSV_SUFFIXES = (".csv", ".csv.gz")


def gzip_is_whole(path: Path) -> bool:
    """Whether a gzip file reads to its end (a download or copy cut off half-way does not);
    read in blocks, so memory stays small whatever the size."""
    try:
        with gzip.open(path, "rb") as stream:
            while stream.read(1 << 22):
                pass
    except (OSError, EOFError, zlib.error):
        return False
    return True


def _visible(path: Path, folder: Path) -> bool:
    """Not a hidden or bookkeeping file (Spark's ``_SUCCESS``, ``.part-0.parquet.crc``)."""
    return path.is_file() and not any(
        part.startswith((".", "_")) for part in path.relative_to(folder).parts
    )


def _find(folder: Path, table: str) -> TableFile | None:
    for name, kind in (
        (f"{table}.parquet", "parquet"),
        *((f"{table}{suffix}", "csv") for suffix in CSV_SUFFIXES),
    ):
        path = folder / name
        if path.exists() and not path.is_dir():  # a file, or a pipe that streams one
            return TableFile(table, path, kind)
    for name in (table, f"{table}.parquet", f"{table}.csv"):
        parts = folder / name
        if not parts.is_dir():
            continue
        files = sorted(f for f in parts.rglob("*") if _visible(f, parts))
        parquet = [f for f in files if f.name.endswith(".parquet")]
        csv = [f for f in files if f.name.endswith(CSV_SUFFIXES)]
        if parquet and csv:
            raise DatasetError(
                gettext_noop("%(folder)s holds both Parquet and CSV files; keep one kind"),
                {"folder": name},
            )
        if not parquet and not csv:
            raise DatasetError(
                gettext_noop("%(folder)s holds no .parquet, .csv or .csv.gz files"),
                {"folder": name},
            )
        return TableFile(table, parts, "parquet" if parquet else "csv", tuple(parquet or csv))
    return None


def find_tables(folder: Path) -> dict[str, TableFile]:
    """Each table's file (``persons.parquet``, ``persons.csv`` or ``persons.csv.gz``) or folder
    of parts (``persons/``, Hive-partitioned folders included)."""
    folder = Path(folder)
    if not folder.is_dir():
        raise DatasetError(gettext_noop("not a folder"))
    found: dict[str, TableFile] = {}
    missing = []
    for table in TABLES:
        source = _find(folder, table)
        if source is None:
            missing.append(f"{table}.csv / {table}.parquet / {table}/")
        else:
            found[table] = source
    if missing:
        raise DatasetError(gettext_noop("missing %(files)s"), {"files": ", ".join(missing)})
    return found
