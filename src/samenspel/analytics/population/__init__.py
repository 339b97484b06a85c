"""Population health: input contract, validation, synthetic region, regiobeeld, suppression.

Pure Python over Ibis (DuckDB embedded, PySpark at scale); no Django.
"""
