#!/usr/bin/env bash
# Builds the fuzz preset (clang++, libFuzzer, ASan + UBSan) and runs the fuzz targets of fuzz/ one
# after the other, one process at a time, SECONDS each (default 60), each on a working copy of its
# seed corpus: build/fuzz/corpus/<target>, which keeps what earlier runs found. Prints, per target,
# the executions, exec/s, libFuzzer's coverage (cov: edges, ft: features) and the findings; the
# input of a finding lands in build/fuzz/findings/<target>/ and the log in build/fuzz/logs/.
# FUZZ_TIMEOUT (seconds, default 10): the longest one input may run; it is wall-clock time, so raise
# it when the machine is busy with other work (a starved run reports false timeouts).
# Exits 1 when any target found something (a crash, a sanitizer report, a leak, a timeout, an
# out-of-memory, a broken promise of a parser) or could not run.
#
#   scripts/fuzz.sh [SECONDS] [TARGET...]      e.g. scripts/fuzz.sh 600 fuzz_longcsv
#
# Replay one finding: build/fuzz/fuzz/<target> build/fuzz/findings/<target>/crash-…
# (with the ASAN_OPTIONS/UBSAN_OPTIONS/LSAN_OPTIONS below).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

seconds=${1:-60}
shift || true
if ! [[ $seconds =~ ^[0-9]+$ ]] || ((seconds < 1)); then
  echo "usage: scripts/fuzz.sh [SECONDS] [TARGET...]" >&2
  exit 2
fi

# The longest input each target may make: a few times its largest seed. Large enough for the
# structure of the format, small enough to keep thousands of executions a second where the parser
# allows it.
declare -A maxLen=(
  [fuzz_milanmatrix]=8192
  [fuzz_milanrecords]=4096
  [fuzz_longcsv]=4096
  [fuzz_scenario]=65536
  [fuzz_recipe]=4096
  [fuzz_checkpoint]=32768
  [fuzz_siteimport]=4096
  [fuzz_osmimport]=8192
  [fuzz_mappedimport]=4096
)
targets=("$@")
if ((${#targets[@]} == 0)); then
  targets=(fuzz_milanmatrix fuzz_milanrecords fuzz_longcsv fuzz_scenario fuzz_recipe fuzz_checkpoint fuzz_siteimport fuzz_osmimport
    fuzz_mappedimport)
fi
for t in "${targets[@]}"; do
  if [[ -z ${maxLen[$t]:-} ]]; then
    echo "fuzz: unknown target '$t' (known: ${!maxLen[*]})" >&2
    exit 2
  fi
done

if [[ -z ${CMAKE_CXX_COMPILER_LAUNCHER:-} ]] && command -v ccache >/dev/null; then export CMAKE_CXX_COMPILER_LAUNCHER=ccache; fi
cmake --preset fuzz >/dev/null
cmake --build --preset fuzz

# Leaks are findings; the suppressions name third-party code only (see fuzz/lsan.supp).
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:new_delete_type_mismatch=0:detect_stack_use_after_return=1}"
export LSAN_OPTIONS="${LSAN_OPTIONS:-suppressions=$root/fuzz/lsan.supp:print_suppressions=0}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
# One thread for LibTorch and OpenBLAS: one process at a time is what fuzzing here means.
export OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1
build=$root/build/fuzz
mkdir -p "$build/tmp" "$build/logs"
export TMPDIR=$build/tmp

summary=()
failed=0
for t in "${targets[@]}"; do
  corpus=$build/corpus/$t
  findings=$build/findings/$t
  log=$build/logs/$t.log
  mkdir -p "$corpus" "$findings"
  cp -n "$root/fuzz/corpus/$t"/* "$corpus/" 2>/dev/null || true
  dict=()
  [[ -f $root/fuzz/dict/$t.dict ]] && dict=(-dict="$root/fuzz/dict/$t.dict")
  marker=$(mktemp)
  echo "== $t: ${seconds} s, max_len ${maxLen[$t]}, corpus $(find "$corpus" -type f | wc -l) inputs"
  started=$SECONDS
  set +e
  "$build/fuzz/$t" -max_total_time="$seconds" -max_len="${maxLen[$t]}" -timeout="${FUZZ_TIMEOUT:-10}" -rss_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix="$findings/" "${dict[@]}" "$corpus" >"$log" 2>&1
  rc=$?
  set -e
  elapsed=$((SECONDS - started))
  execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | tail -1 | grep -o '[0-9]*$' || true)
  speed=$(grep -o 'stat::average_exec_per_sec: *[0-9]*' "$log" | tail -1 | grep -o '[0-9]*$' || true)
  last=$(grep -E '^#[0-9]+.*cov: [0-9]+' "$log" | tail -1 || true)
  cov=$(grep -o 'cov: [0-9]*' <<<"$last" | grep -o '[0-9]*' || true)
  ft=$(grep -o 'ft: [0-9]*' <<<"$last" | grep -o '[0-9]*' || true)
  corp=$(grep -o 'corp: [0-9]*/[0-9]*[a-zA-Z]*' <<<"$last" | cut -d' ' -f2 || true)
  found=$(find "$findings" -type f -newer "$marker" \( -name 'crash-*' -o -name 'leak-*' -o -name 'timeout-*' -o -name 'oom-*' \) | wc -l)
  rm -f "$marker"
  status="ok"
  if ((found > 0)); then
    what=$(grep -m1 -E 'ERROR: (AddressSanitizer|LeakSanitizer|UndefinedBehaviorSanitizer|libFuzzer)|runtime error:|broken promise' "$log" |
      sed 's/^==[0-9]*==//' | cut -c1-100 || true)
    status="FOUND $found: $what"
    failed=1
  elif ((rc != 0)); then
    status="FAILED (exit $rc, see $log)"
    failed=1
  fi
  line=$(printf '%-18s %6ss %12s %8s %7s %8s %12s  %s' "$t" "$elapsed" "${execs:-?}" "${speed:-?}" "${cov:-?}" "${ft:-?}" "${corp:-?}" "$status")
  echo "$line"
  summary+=("$line")
done

echo
printf '%-18s %7s %12s %8s %7s %8s %12s  %s\n' target time execs exec/s cov ft corpus findings
printf '%s\n' "${summary[@]}"
if ((failed)); then
  echo "fuzz: findings or failures above; inputs in $build/findings/, logs in $build/logs/" >&2
  exit 1
fi
