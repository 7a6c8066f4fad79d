#!/usr/bin/env python3
"""Checks that DuckDB (and pyarrow) read the Parquet output of `fhir-views run` as the same
table as the NDJSON output of the same view over the same input.

    fhir-views run VIEW.json --input DIR --output /tmp/out-parquet --format parquet
    fhir-views run VIEW.json --input DIR --output /tmp/out.ndjson --format ndjson
    python3 -m venv /tmp/venv && /tmp/venv/bin/pip install duckdb pyarrow
    /tmp/venv/bin/python fhir-views/bench/check-parquet.py /tmp/out-parquet /tmp/out.ndjson

DuckDB reads the directory as one table (`read_parquet('DIR/*.parquet')`); its rows must
equal the NDJSON rows (as multisets: the row order of a parallel run is not fixed), column
by column, with the same column names. pyarrow reads the directory too and must see the same
number of rows and the `fhir.type` field metadata. Prints the column types each reader sees.
Exit status 0 when everything matches, 1 otherwise. Not run by CI (it needs pip packages).

With `--spark` (anywhere on the command line) it then also starts a local SparkSession
(`local[1]`, 512 MB driver, UI off, log level ERROR, session time zone UTC), reads the
directory as one table (`spark.read.parquet(DIR)`, nothing else set), prints the schema Spark
sees, and compares Spark's rows with the NDJSON rows the same way: same column names in the
same order, rows equal as multisets after the same normalisation (decimal128 arrives as
`Decimal` and is compared as its text, integers and floats as their text, lists as tuples).
Any mismatch or failure to read also gives exit status 1. Without `--spark` the script does
not import pyspark and behaves as before.

    python3 -m venv /tmp/venv-spark && /tmp/venv-spark/bin/pip install pyspark duckdb pyarrow
    /tmp/venv-spark/bin/python fhir-views/bench/check-parquet.py --spark /tmp/out-parquet /tmp/out.ndjson

PySpark 4 needs Java 17 or later on the PATH (or JAVA_HOME).
"""
import datetime
import decimal
import json
import os
import shutil
import sys
import tempfile


def normal(v):
    """One cell in a form both readers give alike."""
    if isinstance(v, (list, tuple)):
        return tuple(normal(x) for x in v)
    if isinstance(v, decimal.Decimal):
        return str(v)
    if isinstance(v, bool) or v is None:
        return v
    if isinstance(v, (int, float)):
        return str(v)
    if isinstance(v, datetime.datetime):
        # A timestamp (`--native-dates`) in UTC as the NDJSON output writes it: seconds, the
        # fraction without trailing zeros, `Z`. DuckDB gives it with its zone, Spark without
        # (the session's zone is UTC).
        if v.tzinfo is not None:
            v = v.astimezone(datetime.timezone.utc)
        text = v.strftime("%Y-%m-%dT%H:%M:%S")
        if v.microsecond:
            text += (".%06d" % v.microsecond).rstrip("0")
        return text + "Z"
    if isinstance(v, datetime.date):
        return v.isoformat()
    return v


def ndjson_rows(ndjson_file, names):
    """The NDJSON output's rows, normalised, in the column order `names`; `(None, keys)` for
    the first line whose keys differ from `names`."""
    rows = []
    with open(ndjson_file, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                # Numbers as their text: decimals are exact text in Parquet.
                obj = json.loads(line, parse_int=str, parse_float=str)
                if list(obj) != names:
                    return None, list(obj)
                rows.append(tuple(normal(obj[n]) for n in names))
    return rows, names


def print_difference(reader, rows, json_rows):
    """Row counts and the first differing pair of two sorted row lists."""
    print("%s: %d rows, NDJSON: %d rows" % (reader, len(rows), len(json_rows)))
    for a, b in zip(rows, json_rows):
        if a != b:
            print("first difference:\n  %-6s %r\n  NDJSON %r" % (reader, a, b))
            break


def spark_check(parquet_dir, ndjson_file):
    """Reads the directory with a local SparkSession and compares its rows with the NDJSON
    rows; True when they are the same."""
    from pyspark.sql import SparkSession

    # Bind to the loopback interface (no warning about the host name, nothing listening
    # outside) and keep Spark's own log4j output to errors from the start of the JVM.
    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    log_dir = tempfile.mkdtemp(prefix="check-parquet-spark-")
    log_conf = os.path.join(log_dir, "log4j2.properties")
    with open(log_conf, "w", encoding="utf-8") as f:
        f.write("rootLogger.level = error\n")
        f.write("rootLogger.appenderRef.stderr.ref = console\n")
        f.write("appender.console.type = Console\n")
        f.write("appender.console.name = console\n")
        f.write("appender.console.target = SYSTEM_ERR\n")
        f.write("appender.console.layout.type = PatternLayout\n")
        f.write("appender.console.layout.pattern = %d{HH:mm:ss} %p %c{1}: %m%n\n")
    spark = (
        SparkSession.builder.master("local[1]")
        .appName("check-parquet")
        .config("spark.driver.memory", "512m")
        .config("spark.driver.extraJavaOptions", "-Dlog4j2.configurationFile=file:" + log_conf)
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.shuffle.partitions", "1")
        .config("spark.sql.session.timeZone", "UTC")
        .getOrCreate()
    )
    try:
        spark.sparkContext.setLogLevel("ERROR")
        try:
            df = spark.read.parquet(parquet_dir)
            names = df.columns
            print("Spark %s (PySpark %s) reads %s:" % (spark.version, _pyspark_version(), parquet_dir))
            for field in df.schema.fields:
                print("  %-20s %s%s" % (field.name, field.dataType.simpleString(),
                                        "" if field.nullable else " NOT NULL"))
            spark_rows = [tuple(normal(v) for v in row) for row in df.collect()]
        except Exception as e:  # a reader error is a result of the check, not a crash
            print("Spark cannot read %s: %s" % (parquet_dir, _java_message(e)))
            print("Spark: MISMATCH (not read)")
            return False
    finally:
        spark.stop()
        shutil.rmtree(log_dir, ignore_errors=True)

    json_rows, found = ndjson_rows(ndjson_file, names)
    if json_rows is None:
        print("Spark: column names differ: NDJSON %s, Parquet %s" % (found, names))
        print("Spark: MISMATCH (column names)")
        return False

    key = lambda r: repr(r)
    spark_rows.sort(key=key)
    json_rows.sort(key=key)
    ok = spark_rows == json_rows
    if not ok:
        print_difference("Spark", spark_rows, json_rows)
    print("Spark: %s: %d rows, %d columns" % ("same rows" if ok else "MISMATCH", len(spark_rows), len(names)))
    return ok


def _java_message(e):
    """The message of a Spark error without the Java stack: its first line, and the root
    cause when there is one."""
    lines = [l.strip() for l in str(e).splitlines()]
    lines = [l for l in lines if l and not l.startswith("at ") and not l.startswith("...")
             and not l.startswith("An error occurred while calling")]
    if not lines:
        return type(e).__name__
    message = lines[0].lstrip(": ")
    causes = [l for l in lines if l.startswith("Caused by:")]
    if causes:
        message += " (" + causes[-1] + ")"
    return message


def _pyspark_version():
    import pyspark

    return pyspark.__version__


def main():
    args = sys.argv[1:]
    use_spark = "--spark" in args
    args = [a for a in args if a != "--spark"]
    if len(args) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    parquet_dir, ndjson_file = args[0], args[1]
    import duckdb
    import pyarrow.parquet as pq

    pattern = os.path.join(parquet_dir, "*.parquet")
    con = duckdb.connect()
    described = con.execute("DESCRIBE SELECT * FROM read_parquet(?)", [pattern]).fetchall()
    print("DuckDB %s reads %s:" % (duckdb.__version__, pattern))
    for name, ty, *_ in described:
        print("  %-20s %s" % (name, ty))
    cur = con.execute("SELECT * FROM read_parquet(?)", [pattern])
    names = [d[0] for d in cur.description]
    duck_rows = [tuple(normal(v) for v in row) for row in cur.fetchall()]

    json_rows, found = ndjson_rows(ndjson_file, names)
    if json_rows is None:
        print("column names differ: NDJSON %s, Parquet %s" % (found, names))
        return 1

    table = pq.read_table(parquet_dir)
    fhir_types = {
        f.name: (f.metadata or {}).get(b"fhir.type", b"?").decode() for f in table.schema
    }
    print("pyarrow reads %d rows; fhir.type metadata: %s" % (table.num_rows, fhir_types))

    key = lambda r: repr(r)
    duck_rows.sort(key=key)
    json_rows.sort(key=key)
    ok = True
    if table.num_rows != len(json_rows):
        print("pyarrow: %d rows, NDJSON: %d" % (table.num_rows, len(json_rows)))
        ok = False
    if "?" in fhir_types.values():
        print("a field has no fhir.type metadata")
        ok = False
    if duck_rows != json_rows:
        ok = False
        print_difference("DuckDB", duck_rows, json_rows)
    print("%s: %d rows, %d columns" % ("same rows" if ok else "MISMATCH", len(duck_rows), len(names)))
    if use_spark:
        ok = spark_check(parquet_dir, ndjson_file) and ok
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
