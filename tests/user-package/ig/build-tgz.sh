#!/bin/sh
# Rebuilds acme.fhir.lab-1.0.0.tgz from package/ (the npm layout FHIR packages use), byte for
# byte the same on every run: sorted names, no timestamps or owners.
set -eu
cd "$(dirname "$0")"
tar --sort=name --mtime=@0 --owner=0 --group=0 --numeric-owner --format=ustar -cf - package \
  | gzip -n -9 > acme.fhir.lab-1.0.0.tgz
echo "wrote $(pwd)/acme.fhir.lab-1.0.0.tgz"
