#!/usr/bin/env python3
"""Writes a synthetic Bulk Data export (NDJSON) from the official R4 examples.

Every Patient and Observation of the examples (top-level files and Bundle entries) is copied
again and again, each copy with its own ids (`<id>-c<n>`) and its references to Patients and
Observations rewritten the same way, so joins between the two views still match. Files are
split at --file-mb (default 8 MB, so even the smaller Patient part spreads over several
workers) as `Patient.NNN.ndjson` / `Observation.NNN.ndjson`.

usage: make-export.py OUT_DIR [--mb 500] [--examples DIR] [--file-mb 8] [--gzip]
"""
import argparse
import glob
import gzip
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_EXAMPLES = os.path.join(HERE, "..", "..", "..", "shared", "fhir", "r4-examples")
TYPES = ("Patient", "Observation")


def collect(examples):
    found = {t: [] for t in TYPES}
    for path in sorted(glob.glob(os.path.join(examples, "*.json"))):
        try:
            with open(path, encoding="utf-8") as f:
                res = json.load(f)
        except (OSError, ValueError):
            continue
        stack = [res]
        while stack:
            r = stack.pop()
            if not isinstance(r, dict):
                continue
            rt = r.get("resourceType")
            if rt in TYPES and r.get("id"):
                found[rt].append(r)
            if rt == "Bundle":
                stack.extend(e.get("resource") for e in r.get("entry", []))
    return found


REF = re.compile(r'"reference": ?"(Patient|Observation)/([A-Za-z0-9\-.]{1,64})"')


def copy_text(text, rt, rid, n):
    """The resource's JSON with its id and its Patient/Observation references suffixed."""
    text = REF.sub(lambda m: '"reference":"%s/%s-c%d"' % (m.group(1), m.group(2), n), text)
    return text.replace('"id":"%s"' % rid, '"id":"%s-c%d"' % (rid, n), 1)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--mb", type=float, default=500)
    ap.add_argument("--examples", default=DEFAULT_EXAMPLES)
    ap.add_argument("--file-mb", type=float, default=8)
    ap.add_argument("--gzip", action="store_true")
    a = ap.parse_args()
    found = collect(a.examples)
    if not all(found.values()):
        sys.exit("no Patient or Observation examples in %s" % a.examples)
    os.makedirs(a.out, exist_ok=True)
    # Compact JSON with resourceType first, as bulk exports write it.
    base = {}
    for rt in TYPES:
        lines = []
        for r in found[rt]:
            r = dict(r)
            ordered = {"resourceType": r.pop("resourceType")}
            ordered.update(r)
            lines.append((ordered["id"], json.dumps(ordered, separators=(",", ":"), ensure_ascii=False)))
        base[rt] = lines
    target = a.mb * 1e6
    limit = a.file_mb * 1e6
    total = 0
    files = {}
    counts = {rt: 0 for rt in TYPES}

    def out(rt):
        f = files.get(rt)
        if f is None or f[1] >= limit:
            if f is not None:
                f[0].close()
            idx = f[2] + 1 if f is not None else 0
            name = os.path.join(a.out, "%s.%03d.ndjson%s" % (rt, idx, ".gz" if a.gzip else ""))
            h = gzip.open(name, "wt", encoding="utf-8", compresslevel=1) if a.gzip else open(name, "w", encoding="utf-8")
            f = [h, 0, idx]
            files[rt] = f
        return f

    n = 0
    while total < target:
        for rt in TYPES:
            f = out(rt)
            for rid, text in base[rt]:
                line = copy_text(text, rt, rid, n) + "\n"
                f[0].write(line)
                size = len(line.encode("utf-8"))
                f[1] += size
                total += size
                counts[rt] += 1
        n += 1
    for f in files.values():
        f[0].close()
    print("%s: %d copies, %s, %.1f MB of NDJSON" % (
        a.out, n, ", ".join("%d %s" % (counts[rt], rt) for rt in TYPES), total / 1e6))


if __name__ == "__main__":
    main()
