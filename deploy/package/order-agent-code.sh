#!/usr/bin/env bash
# Makes deploy/package/trib-agent.order, the order in which build.sh lays out
# the agent's machine code: the functions trib-agent runs once it has
# started, hottest first, so that the linker (lld, --symbol-ordering-file)
# puts them together at the start of .text.
#
#   deploy/package/order-agent-code.sh [--agent PATH] [--trib PATH] [--seconds N] [--out FILE]
#
# Why: the kernel maps file pages in 64 KB windows (fault-around), so a
# long-running agent keeps resident every window its steady work touches
# once. Laid out in source order, the few hundred functions of the steady
# state are spread over most of 19 MB of code; laid out together they fill
# a few windows (BENCHMARKS.md, "The lean agent").
#
# How: `trib bench agent --only steady` (a node over TLS in the bench
# process, a file written at 10,000 lines/s) runs the agent under
# valgrind's callgrind, which counts every instruction of every function.
# Counting starts when the agent releases its start-up pages
# (LoadedCodePages.release; the second call, after the first connection,
# is the one that counts) and stops when it begins to stop
# (AgentService.stop); the agent's /metrics and
# /healthz are read every 2 s meanwhile, as a Prometheus would.
# callgrind-symbols.py turns the profile into the symbol list.
#
# --agent: an unstripped trib-agent built as build.sh builds it (default
#   .build/release/trib-agent: run build.sh first); its symbol names must be
#   those of the build that uses the file, so rerun this after changes to
#   the agent's steady path and commit the result. Names the code no longer
#   has are ignored by the linker; new functions are laid out in source
#   order (correct, just less compact).
# --trib: the trib that runs the bench (default: .build/release/trib, else
#   .build/debug/trib). --seconds: steady seconds profiled (default 60).
# Needs valgrind, python3, curl, and what `trib bench agent` needs. Takes
# about 2-3 minutes (the agent runs 20-50 times slower under callgrind).
set -euo pipefail

root="$(cd "$(dirname "$0")/../.." && pwd)"
here="$root/deploy/package"
agent="$root/.build/release/trib-agent"
trib=""
seconds=60
out="$here/trib-agent.order"
while [ $# -gt 0 ]; do
    case "$1" in
        --agent) agent="${2:?--agent needs a path}"; shift 2 ;;
        --trib) trib="${2:?--trib needs a path}"; shift 2 ;;
        --seconds) seconds="${2:?--seconds needs a number}"; shift 2 ;;
        --out) out="${2:?--out needs a file}"; shift 2 ;;
        -h|--help) sed -n '2,34p' "$0"; exit 0 ;;
        *) echo "order-agent-code.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
    esac
done
for tool in valgrind python3 curl nm objcopy; do
    command -v "$tool" >/dev/null 2>&1 || { echo "order-agent-code.sh: $tool is missing (apt-get install valgrind python3 curl binutils)" >&2; exit 1; }
done
if [ -z "$trib" ]; then
    trib="$root/.build/release/trib"
    [ -x "$trib" ] || trib="$root/.build/debug/trib"
fi
[ -x "$trib" ] || { echo "order-agent-code.sh: no trib to run the bench: swift build --product trib, or --trib PATH" >&2; exit 1; }
[ -x "$agent" ] || { echo "order-agent-code.sh: $agent is missing: deploy/package/build.sh builds it (or --agent PATH)" >&2; exit 1; }

work="$(mktemp -d "${TMPDIR:-/tmp}/trib-agent-order.XXXXXX")"
bench_pid=""
cleanup() {
    [ -n "$bench_pid" ] && kill "$bench_pid" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

# A copy without debug information (valgrind starts in seconds instead of
# reading 35 MB of DWARF); the symbol table, which names the functions, stays.
profiled="$work/trib-agent-profiled"
objcopy --strip-debug "$agent" "$profiled"
symbol() {
    local found
    found="$(nm "$profiled" | awk -v pattern="$1" '$3 ~ pattern { print $3; exit }')"
    [ -n "$found" ] || { echo "order-agent-code.sh: $agent has no symbol matching $1: is it an unstripped trib-agent of this source?" >&2; exit 1; }
    echo "$found"
}
# The start ends where the agent releases its start-up code pages; the
# steady state ends where AgentService.stop begins.
release="$(symbol '^[$]s16TributaryProcess15LoadedCodePagesO7release')"
stop="$(symbol '^[$]s14TributaryAgent0B7ServiceC4stop12drainTimeout.*YaF$')"

# The bench runs "trib-agent --config FILE"; this one runs it under callgrind.
cat >"$work/trib-agent" <<EOF
#!/usr/bin/env bash
exec valgrind --tool=callgrind --demangle=no --dump-instr=no --vgdb=no \\
    --zero-before='$release' --dump-before='$stop' \\
    --callgrind-out-file='$work/callgrind.out.%p' '$profiled' "\$@" > >(tee '$work/agent.out')
EOF
chmod +x "$work/trib-agent"

echo "order-agent-code.sh: profiling $agent for $seconds s of steady state (callgrind; a few minutes)"
"$trib" bench agent --json --only steady --steady-seconds "$seconds" --agent-executable "$work/trib-agent" >"$work/bench.out" 2>&1 &
bench_pid=$!
# Read /metrics and /healthz as a scraper would, while the bench runs.
while kill -0 "$bench_pid" 2>/dev/null; do
    sleep 2
    port="$(sed -n 's#.*HTTP on http://[^:]*:\([0-9]*\).*#\1#p' "$work/agent.out" 2>/dev/null | head -1)"
    if [ -n "$port" ]; then
        curl -s -o /dev/null "http://127.0.0.1:$port/metrics" || true
        curl -s -o /dev/null "http://127.0.0.1:$port/healthz" || true
    fi
done
status=0
wait "$bench_pid" || status=$?
bench_pid=""
if [ "$status" != 0 ]; then
    cat "$work/bench.out" >&2
    echo "order-agent-code.sh: the bench failed (status $status)" >&2
    exit 1
fi

# The first dump of each agent process is its steady state (zeroed at the
# release, dumped when stop begins).
profiles=("$work"/callgrind.out.*.1)
[ -e "${profiles[0]}" ] || { ls -l "$work" >&2; echo "order-agent-code.sh: callgrind wrote no steady-state profile" >&2; exit 1; }
# Functions the toolchain's static libraries keep in a shared .text (parts
# of the Swift runtime, CoreFoundation, libdispatch: compiled without
# function sections) go last: lld moves whole sections, and one of those
# would put a megabyte of other code between the hot functions.
toolchain_static="$(dirname "$(readlink -f "$(command -v swiftc)")")/../lib/swift_static/linux"
for archive in "$toolchain_static"/*.a; do
    objdump -t "$archive" 2>/dev/null | awk -F'\t' '{ n = split($1, left, " "); if (left[n] == ".text") { m = split($2, right, " "); print right[m] } }'
done | sort -u >"$work/shared-sections"
python3 "$here/callgrind-symbols.py" --last "$work/shared-sections" "$profiled" "${profiles[@]}" >"$work/order"
mv "$work/order" "$out"
echo "order-agent-code.sh: $(wc -l <"$out") functions in $out"
