"""Validate, compute and publish the regiobeeld of a dataset folder in one call."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from .engine import connect, load
from .regiobeeld import compute_counts
from .report import build_report
from .thresholds import DEFAULT_THRESHOLD, EXACT, ROUNDED
from .validate import ProblemsError, validate_dataset


class InvalidDatasetError(ProblemsError):
    """The dataset breaks the contract; nothing was computed."""


def regiobeeld(
    folder: Path,
    *,
    engine: str = "duckdb",
    threshold: int = DEFAULT_THRESHOLD,
    spark_master: str | None = None,
    progress: Callable[[str, float], None] | None = None,
    secret: str | None = None,
) -> dict[str, Any]:
    """The regiobeeld of ``folder``: suppressed, or with a ``secret`` rounded by the cell-key
    method; raises InvalidDatasetError on bad data."""

    def step(label: str, fraction: float) -> None:
        if progress:
            progress(label, fraction)

    step("validating", 0.0)
    problems = validate_dataset(Path(folder), progress=lambda done: step("validating", 0.3 * done))
    if problems:
        raise InvalidDatasetError(problems)
    step("computing", 0.3)
    con = connect(engine, spark_master=spark_master)
    try:
        tables = load(con, Path(folder), engine)
    except ProblemsError as exc:
        raise InvalidDatasetError(exc.problems) from exc
    step("computing", 0.35)
    counts = compute_counts(con, tables, secret=secret)
    step("suppressing", 0.85)
    method = EXACT if secret is None else ROUNDED
    report = build_report(counts, threshold=threshold, method=method)
    report["engine"] = engine
    step("done", 1.0)
    return report
