"""Connect an Ibis backend (DuckDB embedded, or PySpark) and load a dataset with typed columns.

The same Ibis expressions then run on either engine. PySpark runs in local mode unless
``SAMENSPEL_SPARK_MASTER`` names a cluster (e.g. ``spark://host:7077``).
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import ibis

from .sources import TableFile, find_tables

ENGINES = ("duckdb", "spark")

TYPES: dict[str, dict[str, str]] = {
    "persons": {
        "person_id": "string",
        "birth_year": "int32",
        "sex": "string",
        "municipality": "string",
        "neighbourhood": "string",
        "death_date": "date",
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


def spark_session() -> Any:
    """One local (or configured) Spark session per process."""
    global _spark_session
    if _spark_session is None:
        from pyspark.sql import SparkSession

        # Stay on loopback: the driver must not bind to or advertise another interface.
        os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
        master = os.environ.get("SAMENSPEL_SPARK_MASTER", "local[2]")
        _spark_session = (
            SparkSession.builder.master(master)
            .appName("samenspel-regiobeeld")
            .config("spark.ui.enabled", "false")
            .config("spark.driver.host", "127.0.0.1")
            .config("spark.driver.bindAddress", "127.0.0.1")
            .config("spark.ui.showConsoleProgress", "false")
            .config(
                "spark.sql.shuffle.partitions", os.environ.get("SAMENSPEL_SPARK_PARTITIONS", "8")
            )
            .config("spark.sql.session.timeZone", "UTC")
            .config("spark.sql.warehouse.dir", tempfile.mkdtemp(prefix="samenspel-spark-"))
            .config("spark.driver.memory", os.environ.get("SAMENSPEL_SPARK_DRIVER_MEMORY", "4g"))
            .getOrCreate()
        )
        _spark_session.sparkContext.setLogLevel("ERROR")
    return _spark_session


def connect(engine: str) -> Any:
    if engine == "duckdb":
        return ibis.duckdb.connect()
    if engine == "spark":
        return ibis.pyspark.connect(spark_session())
    raise ValueError(f"unknown engine {engine!r}; choose duckdb or spark")


def _read(con: Any, source: TableFile, engine: str) -> Any:
    path = str(source.path)
    if source.kind == "parquet":
        table = con.read_parquet(path)
    elif engine == "duckdb":
        table = con.read_csv(path, all_varchar=True, header=True)
    else:
        table = con.read_csv(path, header=True, inferSchema=False)
    types = TYPES[source.table]
    present = set(table.columns)
    return table.select(
        **{
            name: (table[name].cast(kind) if name in present else ibis.null().cast(kind))
            for name, kind in types.items()
        }
    )


def load(con: Any, folder: Path, engine: str) -> Tables:
    files = find_tables(folder)
    return Tables(*(_read(con, files[t], engine) for t in ("persons", "conditions", "care_events")))
