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
"""
import datetime
import decimal
import json
import os
import sys


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
        return v.isoformat()
    if isinstance(v, datetime.date):
        return v.isoformat()
    return v


def main():
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    parquet_dir, ndjson_file = sys.argv[1], sys.argv[2]
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

    json_rows = []
    with open(ndjson_file, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                # Numbers as their text: decimals are exact text in Parquet.
                obj = json.loads(line, parse_int=str, parse_float=str)
                if list(obj) != names:
                    print("column names differ: NDJSON %s, Parquet %s" % (list(obj), names))
                    return 1
                json_rows.append(tuple(normal(obj[n]) for n in names))

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
        print("DuckDB: %d rows, NDJSON: %d rows" % (len(duck_rows), len(json_rows)))
        for a, b in zip(duck_rows, json_rows):
            if a != b:
                print("first difference:\n  DuckDB %r\n  NDJSON %r" % (a, b))
                break
    print("%s: %d rows, %d columns" % ("same rows" if ok else "MISMATCH", len(duck_rows), len(names)))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
