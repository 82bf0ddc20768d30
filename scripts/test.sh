#!/usr/bin/env bash
# Installs dependencies, builds, and runs every test with ctest: unit,
# black-box, fuzz (libFuzzer with ASan+UBSan) and the benchmark smoke test on
# the release build, then the unit and black-box tests again on a build with
# AddressSanitizer and UndefinedBehaviorSanitizer (build-sanitize/), where any
# sanitizer report fails the test that caused it.
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=$(nproc)
scripts/build.sh
(cd "${BUILD_DIR:-build}" && ctest --output-on-failure -j "$jobs" --timeout 600)

BUILD_DIR=build-sanitize SANITIZE=1 scripts/build.sh
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:detect_stack_use_after_return=0
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
(cd build-sanitize && ctest --output-on-failure -j "$jobs" --timeout 900 -L 'unit|blackbox')
