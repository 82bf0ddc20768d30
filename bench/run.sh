#!/usr/bin/env bash
# The benchmark in one command: installs what it needs (wrk, nginx), builds
# a Release binary in build-release/, and runs bench/run.py against it.
# Arguments are passed to run.py (e.g. --smoke, --reps 5, --scale 1000,100000,
# --only tls for the HTTPS comparison; run.py compiles its TLS driver itself).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
cmake -S . -B build-release -DCMAKE_BUILD_TYPE=Release -DAPIOTA_WERROR=ON >/dev/null
cmake --build build-release -j "$(nproc)" --target apiota make_esp_image
exec python3 bench/run.py --apiota build-release/apiota --image-tool build-release/tests/make_esp_image "$@"
