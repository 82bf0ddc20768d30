#!/usr/bin/env bash
# Builds one libFuzzer target with clang (address + undefined sanitizers) and
# fuzzes it for a bounded time from its seed corpus. Used by ctest (label
# "fuzz"); a crash, leak or failed invariant fails the test.
#   run_fuzzer.sh TARGET SECONDS SOURCE_DIR BUILD_DIR
set -euo pipefail
target=$1 seconds=$2 src=$(realpath "$3") out=$(realpath "$4")
case "$target" in
  multipart) sources=("$src/tests/fuzz/multipart_fuzz.cpp" "$src/src/http/multipart_parser.cpp"); libs=() ;;
  esp_image) sources=("$src/tests/fuzz/esp_image_fuzz.cpp" "$src/src/domain/esp_image.cpp"); libs=(-lcrypto) ;;
  proxy_header) sources=("$src/tests/fuzz/proxy_header_fuzz.cpp" "$src/src/http/proxy_protocol.cpp"
                         "$src/src/http/forwarded_client.cpp" "$src/src/http/trusted_proxies.cpp"
                         "$src/src/domain/printable.cpp"); libs=() ;;
  *) echo "unknown fuzz target $target" >&2; exit 2 ;;
esac
mkdir -p "$out/fuzz-$target/corpus"
binary="$out/fuzz-$target/fuzzer"
clang++ -std=c++20 -O1 -g -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
  -I"$src/src" "${sources[@]}" "${libs[@]}" -o "$binary"
cd "$out/fuzz-$target"
"$binary" -max_total_time="$seconds" -seed=1 -max_len=70000 -print_final_stats=1 \
  corpus "$src/tests/fuzz/corpus/$target" 2>&1 | tail -n 15
