#!/usr/bin/env bash
# Builds the libFuzzer targets of Fuzz/ and runs each for a while.
#
#   Fuzz/run.sh [SECONDS] [TARGET...]     # default: 30 s each, every target
#
# Exits non-zero if a target crashes, leaks past the RSS limit or hangs;
# the input that did it is kept in Fuzz/crashes/TARGET/ (crash-…, oom-…,
# timeout-…) and can be replayed with `.build-fuzz/release/TARGET FILE`.
# The corpus each run grows is kept in .build-fuzz/corpus/TARGET/ for the
# next run; seeds are regenerated from the repository every run.
#
# Environment: TRIB_FUZZ_ASAN=0 builds without AddressSanitizer (faster to
# build and run, but a read past an unsafe buffer goes unnoticed).
set -uo pipefail
cd "$(dirname "$0")/.."
repository=$PWD

seconds=${1:-30}
[ $# -gt 0 ] && shift
all=(fuzz-frame fuzz-batch fuzz-syslog fuzz-formats fuzz-query fuzz-config)
if [ $# -gt 0 ]; then targets=("$@"); else targets=("${all[@]}"); fi

scratch=$repository/.build-fuzz
# --disable-dead-strip: release links with --gc-sections, which drops the
# coverage counters libFuzzer is guided by ("no interesting inputs").
# One -sanitize= list: swiftc keeps only the last -sanitize= option, and
# "-sanitize=fuzzer -sanitize=address" silently loses the coverage.
sanitizers=fuzzer
if [ "${TRIB_FUZZ_ASAN:-1}" != 0 ]; then sanitizers=fuzzer,address; fi
flags=(-c release --disable-dead-strip --package-path Fuzz --scratch-path "$scratch"
       -Xswiftc -sanitize=$sanitizers -Xswiftc -parse-as-library)

started=$(date +%s)
mkdir -p "$scratch"
: >"$scratch/build.log"
for target in "${targets[@]}"; do
    # One product at a time: fuzz-config alone needs the node and agent modules.
    if ! swift build "${flags[@]}" --product "$target" >>"$scratch/build.log" 2>&1; then
        grep -E 'error|warning: ' "$scratch/build.log" | tail -40 >&2
        echo "fuzz: building $target failed (log: $scratch/build.log)" >&2
        exit 2
    fi
done
bin=$(swift build "${flags[@]}" --show-bin-path)
echo "fuzz: built in $(( $(date +%s) - started )) s"

rm -rf "$scratch/seeds"
python3 Fuzz/seeds.py "$repository" "$scratch/seeds"

# Longest input per target: enough for the biggest seed and some growth.
max_len() {
    case $1 in
        fuzz-frame|fuzz-batch) echo 65536 ;;
        fuzz-config) echo 16384 ;;
        *) echo 8192 ;;
    esac
}

failed=()
for target in "${targets[@]}"; do
    mkdir -p "$scratch/corpus/$target" "Fuzz/crashes/$target" "$scratch/seeds/$target"
    log=$scratch/$target.log
    echo "fuzz: $target for $seconds s"
    # Swift's backtracer would take seconds per crash; libFuzzer reports.
    SWIFT_BACKTRACE=enable=no ASAN_OPTIONS=detect_leaks=0 "$bin/$target" \
        -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 -max_len="$(max_len "$target")" \
        -print_final_stats=1 -artifact_prefix="Fuzz/crashes/$target/" \
        $( [ -f "Fuzz/dict/$target.dict" ] && echo "-dict=Fuzz/dict/$target.dict" ) \
        "$scratch/corpus/$target" "$scratch/seeds/$target" >"$log" 2>&1
    status=$?
    grep -E '^stat::(number_of_executed_units|peak_rss_mb|new_units_added)|^#[0-9]+.*DONE' "$log" | sed "s/^/  /"
    if [ "$status" -ne 0 ]; then
        failed+=("$target")
        echo "fuzz: $target FAILED (exit $status); last lines of $log:" >&2
        grep -v '^#' "$log" | tail -25 >&2
        ls -1 "Fuzz/crashes/$target" >&2
    fi
done

echo "fuzz: done in $(( $(date +%s) - started )) s"
if [ "${#failed[@]}" -gt 0 ]; then
    echo "fuzz: failed: ${failed[*]}" >&2
    exit 1
fi
