//! Parquet output: `part-NNNNN.parquet` files of at most a given number of rows.
