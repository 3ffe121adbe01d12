#!/usr/bin/env python3
"""The functions of one executable that ran in a callgrind profile, hottest first.

    callgrind-symbols.py [--last NAMES] OBJECT CALLGRIND_OUT... > symbols.order

Reads callgrind output files (valgrind --tool=callgrind --demangle=no) and
prints, one a line, the linker symbol name of every function of OBJECT (the
path callgrind names in its `ob=` lines) that executed at least one
instruction, ordered by its own instruction count (most first; equal counts
by name, so the output is stable). That is a symbol ordering file for lld
(`--symbol-ordering-file`): the linker lays these functions out together at
the start of `.text`, so the code a long-running process uses keeps few
pages resident (deploy/package/order-agent-code.sh, BENCHMARKS.md).

--last names a file of symbols (one a line) to list after all others:
functions that share a section with others (archives compiled without
function sections). The linker moves whole sections, so one of those would
carry all of its section into the middle of the hot functions; listed last,
those sections follow the hot functions instead, still next to them.

Only self cost is counted: the cost line after a `calls=` line is the
inclusive cost of a call and belongs to the callee. Names callgrind could
not resolve (`0x…`) are skipped. Unknown or malformed lines are an error
naming the file and line, never silently dropped.
"""
import re
import sys

COMPRESSED = re.compile(r"^\((\d+)\)(?: (.*))?$")


def expand(table, value, where):
    """A callgrind name: `(id) name` defines id, `(id)` refers to it."""
    match = COMPRESSED.match(value)
    if not match:
        return value
    ident, name = match.group(1), match.group(2)
    if name is not None:
        table[ident] = name
        return name
    if ident not in table:
        raise SystemExit(f"{where}: name ({ident}) used before it is defined; is this a callgrind output file?")
    return table[ident]


def self_costs(path, wanted_object, costs):
    objects, files, functions = {}, {}, {}
    current_object, current_function = None, None
    skip_next_cost = False
    with open(path, encoding="utf-8", errors="replace") as handle:
        for number, raw in enumerate(handle, 1):
            line = raw.rstrip("\n")
            where = f"{path}:{number}"
            if not line or line.startswith("#"):
                continue
            first = line[0]
            if first.isdigit() or first in "+-*":
                if skip_next_cost:
                    skip_next_cost = False
                    continue
                fields = line.split()
                if current_function is None or current_object != wanted_object or len(fields) < 2:
                    continue
                try:
                    instructions = int(fields[-1])
                except ValueError:
                    raise SystemExit(f"{where}: a cost line without a number: {line!r}")
                costs[current_function] = costs.get(current_function, 0) + instructions
                continue
            key, _, value = line.partition("=")
            if key == "ob":
                current_object = expand(objects, value, where)
            elif key == "cob":
                expand(objects, value, where)
            elif key in ("fl", "fi", "fe", "cfi", "cfl"):
                expand(files, value, where)
            elif key == "fn":
                current_function = expand(functions, value, where)
            elif key == "cfn":
                expand(functions, value, where)
            elif key == "calls":
                skip_next_cost = True
            elif key in ("jump", "jcnd"):
                skip_next_cost = True
            # Header lines (version, creator, pid, cmd, part, desc, positions,
            # events, summary, totals) carry no per-function cost.


def main(arguments):
    last = set()
    if arguments[:1] == ["--last"]:
        if len(arguments) < 2:
            raise SystemExit("--last needs a file of symbol names")
        with open(arguments[1], encoding="utf-8") as handle:
            last = {line.strip() for line in handle if line.strip()}
        arguments = arguments[2:]
    if len(arguments) < 2:
        raise SystemExit("usage: callgrind-symbols.py [--last NAMES] OBJECT CALLGRIND_OUT...")
    wanted, paths = arguments[0], arguments[1:]
    costs = {}
    for path in paths:
        self_costs(path, wanted, costs)
    names = [name for name, cost in costs.items() if cost > 0 and not name.startswith("0x")]
    if not names:
        raise SystemExit(f"no function of {wanted} ran in {', '.join(paths)}: is the object path the one callgrind printed (ob=)?")
    names.sort(key=lambda name: (name in last, -costs[name], name))
    sys.stdout.write("".join(name + "\n" for name in names))


if __name__ == "__main__":
    main(sys.argv[1:])
