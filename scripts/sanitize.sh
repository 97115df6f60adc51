#!/usr/bin/env bash
# The sanitizer runs of issue 20 that do not fit CI's budget; run before resolving a reliability
# issue and record the result in the README's Reliability section.
#   asan  AddressSanitizer + UndefinedBehaviorSanitizer (preset asan): the quick tests, then the
#         bad-input corpus (tests/badinput, labelled slow) with the CLI built under the sanitizers
#   tsan  ThreadSanitizer (preset tsan): the threaded app and ui tests of its test preset
#   fuzz  every libFuzzer target for FUZZ_SECONDS (default 60) each: scripts/fuzz.sh
# Usage: scripts/sanitize.sh [asan] [tsan] [fuzz]      (no argument: all three)
# A finding stops the script with a non-zero status; the log is build/sanitize.log.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install-deps.sh
parts=("$@")
[ ${#parts[@]} -eq 0 ] && parts=(asan tsan fuzz)
mkdir -p build
exec > >(tee build/sanitize.log) 2>&1
start=$(date +%s)
for part in "${parts[@]}"; do
  echo "== sanitize: $part ($(date -u +%FT%TZ))"
  case "$part" in
    asan)
      cmake --preset asan
      cmake --build --preset asan
      ctest --preset asan
      ASAN_OPTIONS=detect_leaks=0:new_delete_type_mismatch=0 UBSAN_OPTIONS=print_stacktrace=1 \
        ctest --test-dir build/asan --output-on-failure --timeout 1800 -R '^tst_badinput'
      ;;
    tsan)
      cmake --preset tsan
      cmake --build --preset tsan
      ctest --preset tsan
      ;;
    fuzz)
      ./scripts/fuzz.sh "${FUZZ_SECONDS:-60}"
      ;;
    *)
      echo "sanitize: unknown part '$part' (asan, tsan or fuzz)" >&2
      exit 2
      ;;
  esac
done
echo "== sanitize: all passed in $(( $(date +%s) - start )) s"
