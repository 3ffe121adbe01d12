#!/usr/bin/env python3
"""Links already-built executables again with the static Swift runtime.

    deploy/package/relink-static.py BUILD_YAML PRODUCT OUTPUT [EXTRA_LINK_ARGUMENT...]

SwiftPM's --static-swift-stdlib also changes every compile command, so a
debug build with it compiles the whole package again (about 7 minutes on 2
cores). The objects do not depend on it: only the link does. This runs the
link command SwiftPM recorded for PRODUCT in BUILD_YAML (.build/debug.yaml)
with -static-stdlib added and OUTPUT as the executable. CI uses it to package
the debug build the tests just made (build.sh --configuration debug).
"""
import json
import subprocess
import sys


def main() -> int:
    if len(sys.argv) < 4:
        print(__doc__, file=sys.stderr)
        return 2
    manifest, product, output, extra = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
    arguments = None
    key_prefix = f'"C.{product}-'
    with open(manifest, encoding="utf-8") as lines:
        inside = False
        for line in lines:
            stripped = line.strip()
            if stripped.startswith(key_prefix) and stripped.endswith('.exe":'):
                inside = True
            elif inside and stripped.startswith("args:"):
                arguments = json.loads(stripped[len("args:"):])
                break
    if arguments is None:
        print(f"relink-static.py: no link command for {product} in {manifest}: build it first (swift build --product {product})",
              file=sys.stderr)
        return 1
    arguments[arguments.index("-o") + 1] = output
    if "-static-stdlib" not in arguments:
        arguments.append("-static-stdlib")
    return subprocess.run(arguments + extra).returncode


if __name__ == "__main__":
    sys.exit(main())
