#!/usr/bin/env bash
# Installs dependencies, builds, and runs every test with ctest: unit,
# black-box, docs, fuzz (libFuzzer with ASan+UBSan) and the benchmark smoke
# test on the release build.
#
# Then the sanitizer stage: build-sanitize/ holds the server and the unit
# tests built with AddressSanitizer and UndefinedBehaviorSanitizer; the unit
# tests run there, and the release build's black-box tests run again against
# the sanitized server (APIOTA_TEST_BINARY). Any report, leaks at exit
# included, fails the test that caused it. SANITIZE_STAGE=0 skips the stage
# (a quicker local run); CI always runs it.
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=$(nproc)
build_dir=${BUILD_DIR:-build}
scripts/build.sh
(cd "$build_dir" && ctest --output-on-failure -j "$jobs" --timeout 600)

if [ "${SANITIZE_STAGE:-1}" = 1 ]; then
  BUILD_DIR=build-sanitize SANITIZE=1 BUILD_TARGETS="apiota unit_tests" scripts/build.sh
  export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:detect_stack_use_after_return=0
  export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
  (cd build-sanitize && ctest --output-on-failure -j "$jobs" --timeout 900 -L unit)
  sanitized_server=$(pwd)/build-sanitize/apiota
  (cd "$build_dir" && APIOTA_TEST_BINARY=$sanitized_server ctest --output-on-failure -j "$jobs" --timeout 900 -L blackbox)
fi
