"""How much memory DuckDB may use and where it spills the rest (both configurable).

``SAMENSPEL_DUCKDB_MEMORY_LIMIT`` (default ``1GB``) caps DuckDB's buffers; what does not fit goes
to ``SAMENSPEL_DUCKDB_SPILL_DIR`` (default: ``samenspel-duckdb`` in the system's temporary
folder). The CLI's ``--memory-limit`` and ``--spill-dir`` set the same two values.
"""

from __future__ import annotations

import atexit
import os
import re
import shutil
import tempfile
from pathlib import Path

DEFAULT_MEMORY_LIMIT = "1GB"
_UNITS = {"KB": 10**3, "MB": 10**6, "GB": 10**9, "TB": 10**12,
          "KIB": 2**10, "MIB": 2**20, "GIB": 2**30, "TIB": 2**40}  # fmt: skip


def size_bytes(text: str) -> int:
    """A size such as ``1GB`` or ``512MiB`` in bytes, read as DuckDB reads it (KB = 1000 bytes,
    KiB = 1024); ValueError for anything else."""
    found = re.fullmatch(r"\s*([0-9]+(?:\.[0-9]+)?)\s*([KMGT]I?B)\s*", text.upper())
    if not found:
        raise ValueError(f"{text!r} is not a size such as 512MB or 2GB")
    return int(float(found.group(1)) * _UNITS[found.group(2)])


def memory_limit() -> str:
    """DuckDB's memory limit as configured, e.g. ``1GB``."""
    return os.environ.get("SAMENSPEL_DUCKDB_MEMORY_LIMIT") or DEFAULT_MEMORY_LIMIT


def memory_limit_bytes() -> int:
    """The memory limit in bytes."""
    return size_bytes(memory_limit())


def spill_dir() -> Path:
    folder = Path(
        os.environ.get("SAMENSPEL_DUCKDB_SPILL_DIR")
        or Path(tempfile.gettempdir()) / "samenspel-duckdb"
    )
    folder.mkdir(parents=True, exist_ok=True)
    return folder


PROCESS_PREFIX = "process-"


def work_dir() -> Path:
    """This process's own folder in the spill folder: DuckDB's temporary files, work databases,
    partitions and validation copies all go here, so a process that is killed leaves one folder
    that ``remove_orphans`` recognises by its process id."""
    folder = spill_dir() / f"{PROCESS_PREFIX}{os.getpid()}"
    if not folder.is_dir():
        folder.mkdir()
        atexit.register(shutil.rmtree, folder, ignore_errors=True)  # gone when the process ends
    return folder


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process: alive
        return True
    return True


def remove_orphans() -> list[Path]:
    """Remove the spill folders of processes that no longer run (a run killed half-way, or
    stopped with SIGKILL); returns what was removed."""
    removed = []
    for folder in spill_dir().glob(f"{PROCESS_PREFIX}*"):
        pid = folder.name.removeprefix(PROCESS_PREFIX)
        if folder.is_dir() and pid.isdigit() and not _alive(int(pid)):
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(folder)
    return removed


def duckdb_config() -> dict[str, str | bool | int | float | list[str]]:
    """The settings every DuckDB connection of the population pipeline is opened with."""
    return {
        "memory_limit": memory_limit(),
        "temp_directory": str(work_dir()),
        # keeping rows in file order costs memory; every query here sorts what it returns
        "preserve_insertion_order": False,
        # a partitioned write flushes each partition often instead of buffering (and spilling)
        # the whole table
        "partitioned_write_flush_threshold": 100_000,
    }


# Progress is the caller's to show (a bar per step); DuckDB's own bar, printed to standard output
# for every query over two seconds, would interleave with it and with --json. A per-connection
# setting: run it on every connection the pipeline opens.
QUIET = "SET enable_progress_bar = false"
