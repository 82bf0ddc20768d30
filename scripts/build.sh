#!/usr/bin/env bash
# Configures and builds apiota (binary: build/apiota) and its tests.
# BUILD_TYPE (default RelWithDebInfo) and BUILD_DIR (default build) may be set;
# SANITIZE=1 builds with AddressSanitizer and UBSan (APIOTA_SANITIZE).
# BUILD_TARGETS (default: all) names the targets to build, space-separated.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
build_dir=${BUILD_DIR:-build}
sanitize=OFF werror=ON
# The release build holds the warnings bar; under sanitizer instrumentation
# GCC 12's flow warnings (maybe-uninitialized in <regex>) misfire.
[ "${SANITIZE:-0}" = 1 ] && sanitize=ON werror=OFF
cmake -S . -B "$build_dir" -DCMAKE_BUILD_TYPE="${BUILD_TYPE:-RelWithDebInfo}" -DAPIOTA_WERROR="$werror" \
  -DAPIOTA_SANITIZE="$sanitize" >/dev/null
targets=()
for t in ${BUILD_TARGETS:-}; do targets+=(--target "$t"); done
cmake --build "$build_dir" -j "$(nproc)" "${targets[@]}"
