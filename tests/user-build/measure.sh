#!/usr/bin/env bash
# Build times of a user's binary (issue #14): a clean release build of this crate with its
# dependencies, then the rebuild after touching main.rs, for the non-generic entry point
# (`fhir_model::json::from_slice`) and for `serde_json::from_slice::<Resource>` (--features
# generic). Run from anywhere; uses its own target folder and removes it at the end.
set -euo pipefail
cd "$(dirname "$0")"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target}"
# Wall time of a command in tenths of a second.
tenths() { local s; s=$(date +%s%N); "$@" >/dev/null 2>&1; echo $(( ($(date +%s%N) - s) / 100000000 )); }
for variant in entry generic; do
  flags=(); [ "$variant" = generic ] && flags=(--features generic)
  rm -rf "$CARGO_TARGET_DIR"
  clean=$(tenths cargo build --release "${flags[@]}")
  touch src/main.rs
  rebuild=$(tenths cargo build --release "${flags[@]}")
  echo "$variant: clean release build $((clean / 10)).$((clean % 10)) s, rebuild after touching main.rs $((rebuild / 10)).$((rebuild % 10)) s"
done
rm -rf "$CARGO_TARGET_DIR"
