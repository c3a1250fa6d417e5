"""Analytics over documented components: per-component facts, Parquet snapshots, DuckDB views."""
