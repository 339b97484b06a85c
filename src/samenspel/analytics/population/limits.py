"""How much memory DuckDB may use and where it spills the rest (both configurable).

``SAMENSPEL_DUCKDB_MEMORY_LIMIT`` (default ``1GB``) caps DuckDB's buffers; what does not fit goes
to ``SAMENSPEL_DUCKDB_SPILL_DIR`` (default: ``samenspel-duckdb`` in the system's temporary
folder). The CLI's ``--memory-limit`` and ``--spill-dir`` set the same two values.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

DEFAULT_MEMORY_LIMIT = "1GB"


def spill_dir() -> Path:
    folder = Path(
        os.environ.get("SAMENSPEL_DUCKDB_SPILL_DIR")
        or Path(tempfile.gettempdir()) / "samenspel-duckdb"
    )
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def duckdb_config() -> dict[str, str | bool | int | float | list[str]]:
    """The settings every DuckDB connection of the population pipeline is opened with."""
    return {
        "memory_limit": os.environ.get("SAMENSPEL_DUCKDB_MEMORY_LIMIT") or DEFAULT_MEMORY_LIMIT,
        "temp_directory": str(spill_dir()),
        # keeping rows in file order costs memory; every query here sorts what it returns
        "preserve_insertion_order": False,
    }
