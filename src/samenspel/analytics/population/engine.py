"""Connect an Ibis backend (DuckDB embedded, or PySpark) and load a dataset with typed columns.

The same Ibis expressions then run on either engine. PySpark runs in local mode unless a master
is named (``--spark-master`` or ``SAMENSPEL_SPARK_MASTER``, e.g. ``spark://host:7077``). Both
engines read a CSV file with the dialect DuckDB detects (separator, quote), and both refuse a
file that lacks a required column.
"""

from __future__ import annotations

import os
import shutil
import socket
import tempfile
import threading
import weakref
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import duckdb
import ibis

from .contract import TABLES
from .limits import QUIET, duckdb_config, remove_orphans, work_dir
from .sources import TableFile, find_tables, gettext_noop
from .validate import Problem, ProblemsError

REACH_TIMEOUT = 5.0  # seconds to wait for a Spark master to take the connection
PROBE_TIMEOUT = 20.0  # seconds to wait for a first tiny job to run on it


class EngineError(RuntimeError):
    """The engine cannot be used (e.g. its master cannot be reached); nothing was computed."""


ENGINES = ("duckdb", "spark")

TYPES: dict[str, dict[str, str]] = {
    "persons": {
        "person_id": "string",
        "birth_year": "int32",
        "sex": "string",
        "municipality": "string",
        "neighbourhood": "string",
        "death_date": "date",
        "observed_from": "date",
        "observed_to": "date",
    },
    "conditions": {"person_id": "string", "condition": "string", "start_date": "date"},
    "care_events": {
        "person_id": "string",
        "date": "date",
        "kind": "string",
        "provider_id": "string",
        "stream": "string",
        "cost": "float64",
    },
}


@dataclass
class Tables:
    persons: Any
    conditions: Any
    care_events: Any


_spark_session: Any = None
_spark_master: str | None = None


def check_master(master: str) -> None:
    """Fail within seconds, with a clear message, when a ``spark://`` master does not answer
    (Spark itself retries for about a minute and ends in a Py4J traceback)."""
    if not master.startswith("spark://"):
        if master.startswith(("local", "yarn", "k8s://")):
            return
        raise EngineError(f"Spark master {master!r} is not local[N], spark://host:port or yarn")
    for address in master.removeprefix("spark://").split(","):
        parts = urlsplit(f"//{address}")
        host, port = parts.hostname or "", parts.port or 7077
        try:
            socket.create_connection((host, port), timeout=REACH_TIMEOUT).close()
            return
        except OSError as exc:
            reason = exc.strerror or type(exc).__name__
            last = f"{host}:{port} ({reason})"
    raise EngineError(f"the Spark master {master} cannot be reached: {last}")


def spark_session(master: str | None = None) -> Any:
    """One local (or configured) Spark session per process."""
    global _spark_session, _spark_master
    master = master or os.environ.get("SAMENSPEL_SPARK_MASTER", "local[2]")
    if _spark_session is not None and master != _spark_master:
        _spark_session.stop()
        _spark_session = None
    if _spark_session is None:
        from pyspark.sql import SparkSession

        check_master(master)
        # Stay on loopback: the driver must not bind to or advertise another interface.
        os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
        _spark_master = master
        builder = (
            SparkSession.builder.master(master)
            .appName("samenspel-regiobeeld")
            .config("spark.ui.enabled", "false")
            .config("spark.driver.host", "127.0.0.1")
            .config("spark.driver.bindAddress", "127.0.0.1")
            .config("spark.ui.showConsoleProgress", "false")
            .config("spark.driver.extraJavaOptions", f"-Dlog4j2.configurationFile={_log_config()}")
            .config(
                "spark.sql.shuffle.partitions", os.environ.get("SAMENSPEL_SPARK_PARTITIONS", "8")
            )
            .config("spark.sql.session.timeZone", "UTC")
            .config("spark.sql.warehouse.dir", tempfile.mkdtemp(prefix="samenspel-spark-"))
            .config("spark.driver.memory", os.environ.get("SAMENSPEL_SPARK_DRIVER_MEMORY", "4g"))
        )
        if master.startswith("spark://"):
            _spark_session = _within(PROBE_TIMEOUT, master, builder.getOrCreate)
            _within(PROBE_TIMEOUT, master, lambda: _spark_session.range(1).count())
        else:
            _spark_session = builder.getOrCreate()
        _spark_session.sparkContext.setLogLevel("ERROR")
    return _spark_session


def _log_config() -> str:
    """A log4j2 configuration that prints Spark's errors as one line each, without traces."""
    path = Path(tempfile.gettempdir()) / "samenspel-spark-log4j2.properties"
    if not path.exists():
        path.write_text(
            "rootLogger.level = error\n"
            "rootLogger.appenderRef.console.ref = console\n"
            "appender.console.type = Console\n"
            "appender.console.name = console\n"
            "appender.console.target = SYSTEM_ERR\n"
            "appender.console.layout.type = PatternLayout\n"
            "appender.console.layout.pattern = spark %p %c{1}: %m%n%ex{none}\n"
        )
    return str(path)


def _within(seconds: float, master: str, work: Any) -> Any:
    """``work()``, or EngineError when it has not finished in ``seconds``: a master that takes
    the connection but never registers the application or gives it an executor (not a Spark
    master, or no free worker) is named within seconds instead of after a minute of retries."""
    global _spark_session
    done = threading.Event()
    outcome: list[Any] = []

    def run() -> None:
        try:
            outcome.append(work())
        except Exception as exc:  # reported below, as the master's failure
            outcome.append(exc)
        finally:
            done.set()

    threading.Thread(target=run, daemon=True).start()
    if done.wait(seconds) and outcome and not isinstance(outcome[0], Exception):
        return outcome[0]
    _spark_session = None
    raise EngineError(
        f"the Spark master {master} cannot be reached: no answer within {seconds:.0f} seconds "
        "(is it a Spark master, and does it have a free worker?)"
    )


def connect(engine: str, *, spark_master: str | None = None) -> Any:
    if engine == "duckdb":
        # A work database in a folder of its own in the spill folder (removed with the
        # connection); what does not fit in memory, temporary tables included, goes to the
        # spill folder, so memory stays flat with the data's size.
        remove_orphans()
        folder = tempfile.mkdtemp(prefix="regiobeeld-", dir=work_dir())
        con = ibis.duckdb.connect(str(Path(folder) / "work.duckdb"), **duckdb_config())
        con.raw_sql(QUIET)
        weakref.finalize(con, shutil.rmtree, folder, ignore_errors=True)
        return con
    if engine == "spark":
        return ibis.pyspark.connect(spark_session(spark_master))
    raise ValueError(f"unknown engine {engine!r}; choose duckdb or spark")


def csv_dialect(path: Path) -> tuple[str, str]:
    """The separator and quote character DuckDB's sniffer finds in a CSV file."""
    found = duckdb.sql(
        "SELECT Delimiter, Quote FROM sniff_csv(?, sample_size = 20480)", params=[str(path)]
    ).fetchone()
    if not found:
        return ",", '"'
    quote = str(found[1] or "")
    return str(found[0]), quote if len(quote) == 1 else '"'  # "(empty)": none seen, use '"'


REQUIRED_MISSING = gettext_noop("required column is missing")


def _read(con: Any, source: TableFile, engine: str) -> Any:
    # DuckDB reads the list of files; Spark reads a folder of parts itself
    paths = [str(f) for f in source.files] if engine == "duckdb" else str(source.path)
    if source.kind == "parquet":
        table = con.read_parquet(paths)
    elif engine == "duckdb":
        table = con.read_csv(paths, all_varchar=True, header=True)
    else:
        sep, quote = csv_dialect(source.files[0])
        table = con.read_csv(
            paths, header=True, inferSchema=False, sep=sep, quote=quote, escape=quote
        )
    types = TYPES[source.table]
    present = set(table.columns)
    missing = [c.name for c in TABLES[source.table] if c.required and c.name not in present]
    if missing:
        raise ProblemsError(
            [
                Problem(source.label(source.files[0]), 1, name, REQUIRED_MISSING)
                for name in missing
            ]
        )
    return table.select(
        **{
            name: (table[name].cast(kind) if name in present else ibis.null().cast(kind))
            for name, kind in types.items()
        }
    )


def load(con: Any, folder: Path, engine: str) -> Tables:
    files = find_tables(folder)
    return Tables(*(_read(con, files[t], engine) for t in ("persons", "conditions", "care_events")))
