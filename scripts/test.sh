#!/usr/bin/env bash
# Installs dependencies, builds, and runs every test (unit and black-box)
# with ctest.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/build.sh
cd "${BUILD_DIR:-build}"
ctest --output-on-failure -j "$(nproc)" --timeout 600
