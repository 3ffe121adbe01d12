#!/usr/bin/env bash
# Installs a tributary .deb into a fresh Debian root without Swift and checks
# it: dpkg accepts its Depends, `trib --version` and `trib-agent --version`
# run there, the user, state directories and conffiles are in place, the
# example configurations pass the installed binaries' own checks, the units
# pass `systemd-analyze verify`, and remove/purge leave what they should.
#
#   deploy/package/test.sh .build/package/tributary_VERSION_ARCH.deb
#
# The root is made by debootstrap (--variant=minbase plus the package's
# Depends) once and kept as a tarball in ~/.cache/tributary/package-root/
# (TRIB_PACKAGE_ROOT_CACHE); every run unpacks a fresh copy of it, so
# nothing of an earlier run remains. Needs root (chroot), debootstrap and
# systemd (for systemd-analyze), and Debian's mirror the first time
# (TRIB_DEBIAN_MIRROR, default http://deb.debian.org/debian).
set -euo pipefail

deb="${1:?usage: deploy/package/test.sh PATH/TO/tributary_VERSION_ARCH.deb}"
[ -f "$deb" ] || { echo "test.sh: no such package: $deb" >&2; exit 1; }
deb="$(cd "$(dirname "$deb")" && pwd)/$(basename "$deb")"
for tool in debootstrap systemd-analyze dpkg-deb chroot; do
    command -v "$tool" >/dev/null 2>&1 || { echo "test.sh: $tool is missing (apt-get install debootstrap systemd)" >&2; exit 1; }
done
[ "$(id -u)" = 0 ] || { echo "test.sh: needs root (chroot, dpkg in the root)" >&2; exit 1; }

fail() { echo "test.sh: FAILED: $*" >&2; exit 1; }
step() { echo "test.sh: $*"; }

version="$(dpkg-deb -f "$deb" Version)"
depends="$(dpkg-deb -f "$deb" Depends)"
# Package names of Depends (the first of alternatives, without versions).
names="$(echo "$depends" | tr ',' '\n' | sed -e 's/|.*//' -e 's/(.*)//' -e 's/[[:space:]]//g' | grep -v '^$' | sort -u | paste -sd, -)"
codename="$(. /etc/os-release && echo "${VERSION_CODENAME:-bookworm}")"
mirror="${TRIB_DEBIAN_MIRROR:-http://deb.debian.org/debian}"
cache="${TRIB_PACKAGE_ROOT_CACHE:-$HOME/.cache/tributary/package-root}"
key="$(echo "$codename $names" | sha256sum | cut -c1-16)"
base="$cache/$codename-minbase-$key.tar"

work="$(mktemp -d "${TMPDIR:-/tmp}/trib-package-test.XXXXXX")"
root="$work/root"
cleanup() {
    umount "$root/proc" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

started=$SECONDS
if [ ! -f "$base" ]; then
    step "making a $codename minbase root with $names (debootstrap, once; cached in $base)"
    mkdir -p "$cache"
    debootstrap --variant=minbase --include="$names" "$codename" "$work/base" "$mirror" >"$work/debootstrap.log" 2>&1 \
        || { tail -20 "$work/debootstrap.log" >&2; fail "debootstrap could not make the root"; }
    rm -rf "$work/base/var/cache/apt/archives/"*.deb
    tar -C "$work/base" -cf "$base.partial" . && mv "$base.partial" "$base"
    rm -rf "$work/base"
fi
mkdir "$root"
tar -C "$root" -xf "$base"
mount -t proc proc "$root/proc"
step "fresh root ready in $((SECONDS - started)) s"

# No Swift in the root: neither a toolchain nor its runtime libraries.
if find "$root" -xdev \( -name 'libswiftCore*' -o -name 'libFoundation*.so*' -o -name swift -o -name swiftc \) -print -quit | grep -q .; then
    fail "the root has Swift in it"
fi

cp "$deb" "$root/tmp/tributary.deb"
chroot "$root" dpkg -i /tmp/tributary.deb || fail "dpkg -i (are the Depends right?)"
[ "$(chroot "$root" /usr/bin/trib --version)" = "$version" ] || fail "trib --version in the root is not $version"
[ "$(chroot "$root" /usr/bin/trib-agent --version)" = "$version" ] || fail "trib-agent --version in the root is not $version"
step "trib and trib-agent $version run in a root without Swift"

# The user, the state directories and the configuration.
chroot "$root" getent passwd tributary | grep -q ':/var/lib/tributary:/usr/sbin/nologin$' || fail "no tributary system user"
for dir in /var/lib/tributary /var/lib/trib-agent; do
    # stat inside the root: its user database, not the host's.
    owner="$(chroot "$root" stat -c '%U:%G %a' "$dir")"
    [ "$owner" = "tributary:tributary 750" ] || fail "$dir is $owner, not tributary:tributary 750"
done
conffiles="$(chroot "$root" dpkg-query -W -f='${Conffiles}' tributary)"
for file in /etc/tributary/agent.yaml /etc/tributary/node.yaml; do
    echo "$conffiles" | grep -q " $file " || fail "$file is not a conffile"
done
chroot "$root" env TRIB_TOKEN=example-token-123 /usr/bin/trib-agent --check --config /etc/tributary/agent.yaml >/dev/null \
    || fail "the example agent.yaml does not pass trib-agent --check"
chroot "$root" env TRIB_DEFAULT_TOKEN=example-token-123 TRIB_ADMIN_TOKEN=example-admin-456 /usr/bin/trib check-config /etc/tributary/node.yaml >/dev/null \
    || fail "the example node.yaml does not pass trib check-config"
step "user, state directories, conffiles and example configurations are right"

# The units, as installed (paths, users and binaries of the root). A minbase
# root has no systemd, so the standard targets and slices the units depend
# on by default (sysinit.target, ...) come from the host's systemd.
cp -n /usr/lib/systemd/system/*.target /usr/lib/systemd/system/*.slice "$root/usr/lib/systemd/system/"
systemd-analyze verify --root="$root" /usr/lib/systemd/system/trib-agent.service /usr/lib/systemd/system/trib-node.service \
    || fail "systemd-analyze verify"
step "systemd-analyze verify passes on both units"

# An edited conffile survives a reinstall; remove keeps configuration and
# data; purge keeps data that is there and the user.
echo "# edited" >>"$root/etc/tributary/agent.yaml"
chroot "$root" dpkg -i --force-confold /tmp/tributary.deb >/dev/null || fail "reinstall"
tail -1 "$root/etc/tributary/agent.yaml" | grep -q '^# edited$' || fail "reinstalling replaced an edited agent.yaml"
touch "$root/var/lib/tributary/keep"
chroot "$root" dpkg -r tributary >/dev/null || fail "dpkg -r"
[ ! -e "$root/usr/bin/trib" ] && [ -f "$root/etc/tributary/agent.yaml" ] || fail "dpkg -r left the binary or removed the configuration"
chroot "$root" dpkg -P tributary >/dev/null || fail "dpkg -P"
[ ! -e "$root/etc/tributary/agent.yaml" ] || fail "purge left agent.yaml"
[ -f "$root/var/lib/tributary/keep" ] || fail "purge deleted the node's data"
[ ! -e "$root/var/lib/trib-agent" ] || fail "purge left the empty /var/lib/trib-agent"
chroot "$root" getent passwd tributary >/dev/null || fail "purge removed the user"
step "reinstall, remove and purge behave; all checks passed in $((SECONDS - started)) s"
