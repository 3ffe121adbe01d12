#!/usr/bin/env bash
# Builds the installable packages of Tributary: a tarball and a Debian
# package, for hosts without Swift.
#
#   deploy/package/build.sh [--configuration release|debug] [--out DIR] [--no-build]
#
# Output (in --out, default .build/package):
#   trib-VERSION-linux-ARCH.tar.gz   bin/, systemd units, sysusers file, example configurations
#   tributary_VERSION_ARCH.deb       /usr/bin/trib, /usr/bin/trib-agent, units, /etc/tributary (conffiles),
#                                    the tributary system user and /var/lib state directories
# The last line printed is the figures, as JSON:
#   {"bench":"package","package_mb":…,"tarball_mb":…,"binary_mb":…,"agent_binary_mb":…}
#
# The executables are linked with --static-swift-stdlib: the Swift runtime and
# Foundation are inside them, so a host needs only libc, libstdc++/libgcc (the
# C++ runtime that Foundation's ICU uses), zlib, OpenSSL 3 and snappy. Those
# stay dynamic on purpose: the distribution patches them (OpenSSL above all).
# The .deb's Depends are computed from the binaries by dpkg-shlibdeps
# (dpkg-dev), not written by hand.
#
# Needs: swift, dpkg-deb, dpkg-shlibdeps (dpkg-dev), binutils (strip).
# --configuration debug is for CI: a debug build (SwiftPM's static runtime
# flag changes every compile command, so it compiles the package again:
# about 5-7 minutes on 2 cores), packed with fast gzip instead of xz (see
# docs/packaging.md).
set -euo pipefail

configuration=release
out=""
build=1
while [ $# -gt 0 ]; do
    case "$1" in
        --configuration) configuration="${2:?--configuration needs release or debug}"; shift 2 ;;
        --out) out="${2:?--out needs a directory}"; shift 2 ;;
        --no-build) build=0; shift ;;
        -h|--help) sed -n '2,24p' "$0"; exit 0 ;;
        *) echo "build.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
    esac
done
case "$configuration" in
    release|debug) ;;
    *) echo "build.sh: --configuration is release or debug, not $configuration" >&2; exit 2 ;;
esac
for tool in swift dpkg-deb dpkg-shlibdeps strip; do
    command -v "$tool" >/dev/null 2>&1 || { echo "build.sh: $tool is missing (apt-get install dpkg-dev binutils; swift from swift.org)" >&2; exit 1; }
done

root="$(cd "$(dirname "$0")/../.." && pwd)"
here="$root/deploy/package"
cd "$root"
out="${out:-$root/.build/package}"
mkdir -p "$out"
out="$(cd "$out" && pwd)"

products=(trib trib-agent)
# --no-export-dynamic: the Swift toolchain exports every symbol of the
# executable (for dladdr); nothing needs that, and the dynamic loader then
# resolves the executable's own references by name at each start, touching
# 1.3 MB of symbol tables. Only the link step changes, nothing recompiles.
link_flags=(-Xlinker --no-export-dynamic)
# Foundation's static libraries once more, after everything: the order the
# autolinked ones come in does not always resolve CoreFoundation and ICU
# symbols (a debug link of trib-agent failed without this).
for library in Foundation CoreFoundation _FoundationICU FoundationInternationalization FoundationEssentials _FoundationCShims _FoundationCollections; do
    link_flags+=(-Xlinker "-l$library")
done
# The agent's machine code in the order it runs (order-agent-code.sh makes
# trib-agent.order from a profile of its steady state): every function in
# a section of its own, linked by lld (the toolchain ships it), which lays
# out the listed functions together at the start of .text, so that the
# running agent keeps few 64 KB windows of code resident (BENCHMARKS.md,
# "The lean agent"). Names the order lists but a product lacks are ignored.
# Only for release: CI's debug package keeps the toolchain's defaults (gold,
# source order), since the layout matters only for what ships.
code_flags=()
if [ "$configuration" = release ]; then
    code_flags=(-Xswiftc -Xfrontend -Xswiftc -function-sections -Xcc -ffunction-sections -Xswiftc -use-ld=lld)
    link_flags+=(-Xlinker "--symbol-ordering-file=$here/trib-agent.order" -Xlinker --no-warn-symbol-ordering)
fi
bin="$(swift build -c "$configuration" --static-swift-stdlib "${code_flags[@]}" "${link_flags[@]}" --show-bin-path)"
if [ "$build" = 1 ]; then
    for product in "${products[@]}"; do
        # SwiftPM does not know the order file: link again in any case (seconds).
        rm -f "$bin/$product"
        swift build -c "$configuration" --static-swift-stdlib "${code_flags[@]}" "${link_flags[@]}" --product "$product"
    done
fi
for product in "${products[@]}"; do
    [ -x "$bin/$product" ] || { echo "build.sh: $bin/$product is missing: run without --no-build" >&2; exit 1; }
    if ldd "$bin/$product" | grep -q -E 'libswift|libFoundation|libdispatch'; then
        echo "build.sh: $bin/$product links the Swift runtime dynamically: build it with --static-swift-stdlib" >&2
        exit 1
    fi
done

version="$("$bin/trib" --version)"
deb_arch="$(dpkg --print-architecture)"
machine="$(uname -m)"
work="$(mktemp -d "${TMPDIR:-/tmp}/trib-package.XXXXXX")"
trap 'rm -rf "$work"' EXIT

# The executables, stripped of their symbol tables (Swift needs none at run time).
mkdir -p "$work/bin"
for product in "${products[@]}"; do
    strip -o "$work/bin/$product" "$bin/$product"
done

# --- The tarball: unpack anywhere; the units expect /usr/local/bin. ---
name="trib-$version-linux-$machine"
tree="$work/$name"
install -d "$tree/bin" "$tree/systemd" "$tree/examples"
install -m 0755 "$work/bin/trib" "$work/bin/trib-agent" "$tree/bin/"
install -m 0644 deploy/systemd/trib-node.service deploy/systemd/trib-agent.service deploy/systemd/tributary.sysusers "$tree/systemd/"
install -m 0644 deploy/agent.yaml deploy/node.yaml deploy/node-cluster.yaml deploy/topology.yaml "$tree/examples/"
install -m 0644 "$here/INSTALL.tarball.md" "$tree/INSTALL.md"
tarball="$out/$name.tar.gz"
gzip_level=-9
[ "$configuration" = debug ] && gzip_level=-1
tar -C "$work" --owner=0 --group=0 --numeric-owner -cf - "$name" | gzip "$gzip_level" >"$tarball"

# --- The Debian package. ---
stage="$work/deb"
install -d "$stage/DEBIAN" "$stage/usr/bin" "$stage/usr/lib/systemd/system" "$stage/usr/lib/sysusers.d" \
    "$stage/etc/tributary" "$stage/usr/share/doc/tributary/examples"
install -m 0755 "$work/bin/trib" "$work/bin/trib-agent" "$stage/usr/bin/"
for unit in trib-node.service trib-agent.service; do
    sed -e 's#/usr/local/bin/trib#/usr/bin/trib#g' "deploy/systemd/$unit" >"$stage/usr/lib/systemd/system/$unit"
    chmod 0644 "$stage/usr/lib/systemd/system/$unit"
done
install -m 0644 deploy/systemd/tributary.sysusers "$stage/usr/lib/sysusers.d/tributary.conf"
install -m 0644 deploy/agent.yaml deploy/node.yaml "$stage/etc/tributary/"
install -m 0644 deploy/node-cluster.yaml deploy/topology.yaml "$stage/usr/share/doc/tributary/examples/"
install -m 0644 "$here/copyright" "$stage/usr/share/doc/tributary/copyright"
install -m 0644 README.md "$stage/usr/share/doc/tributary/README.md"
for script in postinst prerm postrm; do
    install -m 0755 "$here/debian/$script" "$stage/DEBIAN/$script"
done
printf '/etc/tributary/agent.yaml\n/etc/tributary/node.yaml\n' >"$stage/DEBIAN/conffiles"

# Depends from the binaries' ELF needs, with the versions from the libraries'
# symbols files. dpkg-shlibdeps wants a source package's debian/control.
shlib="$work/shlibdeps"
install -d "$shlib/debian"
printf 'Source: tributary\n\nPackage: tributary\nArchitecture: any\n' >"$shlib/debian/control"
depends="$(cd "$shlib" && dpkg-shlibdeps -O "$stage/usr/bin/trib" "$stage/usr/bin/trib-agent" 2>/dev/null | sed -n 's/^shlibs:Depends=//p')"
[ -n "$depends" ] || { echo "build.sh: dpkg-shlibdeps found no dependencies" >&2; exit 1; }
installed_kb="$(du -sk --exclude=DEBIAN "$stage" | cut -f1)"
sed -e "s/@VERSION@/$version/" -e "s/@ARCH@/$deb_arch/" -e "s/@DEPENDS@/$depends/" -e "s/@INSTALLED_SIZE@/$installed_kb/" \
    "$here/debian/control.in" >"$stage/DEBIAN/control"
deb="$out/tributary_${version}_${deb_arch}.deb"
# xz for what ships; the debug build is only CI's check, so it is packed fast.
compression=(-Zxz)
[ "$configuration" = debug ] && compression=(-Zgzip -z1)
dpkg-deb --root-owner-group "${compression[@]}" --build "$stage" "$deb" >/dev/null
echo "build.sh: $deb (Depends: $depends)"
echo "build.sh: $tarball"

mb() { awk -v bytes="$(stat -c %s "$1")" 'BEGIN { printf "%.1f", bytes / 1048576 }'; }
printf '{"bench":"package","configuration":"%s","package_mb":%s,"tarball_mb":%s,"binary_mb":%s,"agent_binary_mb":%s}\n' \
    "$configuration" "$(mb "$deb")" "$(mb "$tarball")" "$(mb "$work/bin/trib")" "$(mb "$work/bin/trib-agent")"
