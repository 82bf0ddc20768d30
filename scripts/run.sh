#!/usr/bin/env bash
# Installs dependencies, builds, and runs the server on its embedded default
# (SQLite + ./data). Extra arguments go to `apiota serve`.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/build.sh
exec build/apiota serve "$@"
