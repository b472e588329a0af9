#!/usr/bin/env bash
# Builds the guest kit for the real-kernel tests from Debian packages only, and caches it.
#
#   tests/kernel/build-kit.sh            prints the kit folder on its last line
#
# The kit folder holds vmlinuz (Debian's cloud kernel), initramfs.cpio (busybox, the kernel
# modules the scenarios load, our provoke.ko and ./init) and kernel-release. The initramfs is left
# uncompressed: gunzip is slow under emulation, and more files (a published agent) can be added by
# appending a second newc archive to it (the kernel unpacks concatenated archives in order). The kernel packages
# are downloaded and unpacked, never installed on the host. The folder is keyed by the kernel
# version and a hash of the kit's sources, so a second run only checks that it is there.
#
# Environment: NETOOPS_KERNEL_KIT_CACHE (default /var/cache/netoops-kernel-kit),
#              NETOOPS_KERNEL_VERSION (default: a kit already built from these sources, else
#              the kernel linux-image-cloud-amd64 depends on, e.g. 6.1.0-56-cloud-amd64).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cache="${NETOOPS_KERNEL_KIT_CACHE:-/var/cache/netoops-kernel-kit}"

fail() { echo "build-kit: $*" >&2; exit 1; }
step() { echo "build-kit: $*" >&2; }

# mknod (the guest's /dev/console) and apt-get download into the cache need root.
[ "$(id -u)" = 0 ] || fail "run as root"
for tool in qemu-system-x86_64 busybox cpio gcc-12 make dpkg-deb apt-get; do
	command -v "$tool" >/dev/null || fail "$tool is missing (bash .ci/install installs it)"
done
# The dynamically linked busybox of a plain Debian host would not run inside the guest.
busybox_bin=/bin/busybox
file_kind="$(LC_ALL=C od -An -c -N4 "$busybox_bin" | tr -d ' ')"
[ "$file_kind" = '177ELF' ] || fail "$busybox_bin is not an ELF binary"
ldd "$busybox_bin" >/dev/null 2>&1 && fail "$busybox_bin is dynamically linked; install busybox-static"

# apt-get download needs package lists; a fresh machine may have none yet.
apt_ready=no
ensure_apt_lists() {
	[ "$apt_ready" = yes ] && return
	apt-cache show linux-image-cloud-amd64 >/dev/null 2>&1 || apt-get update -qq
	apt_ready=yes
}

# The busybox build and the compiler go into the kit too, so their versions are part of the key.
sources_hash="$( (cd "$here" && cat build-kit.sh init module/Kbuild module/provoke.c; "$busybox_bin" | head -n1; gcc-12 --version | head -n1) \
	| sha256sum | cut -c1-12)"
mkdir -p "$cache"
exec 9>"$cache/.lock"
flock 9 # concurrent test runs wait for one build instead of racing on the same folder

# Kits of other kernel versions or older sources, unused for two weeks, go.
find "$cache" -mindepth 2 -maxdepth 2 -name ready -mtime +14 -printf '%h\n' | xargs -r rm -rf

reuse() {
	touch "$1/ready"
	step "reusing $1"
	echo "$1"
	exit 0
}

version="${NETOOPS_KERNEL_VERSION:-}"
if [ -z "$version" ]; then
	# A kit built from these sources is reused whatever kernel it has: the tests stay on the kernel
	# they were first built with instead of asking apt (slow, and it moves) on every run.
	for ready in $(ls -t "$cache"/*-cloud-amd64-"$sources_hash"/ready 2>/dev/null); do
		reuse "$(dirname "$ready")"
	done
	ensure_apt_lists
	version="$(apt-cache depends linux-image-cloud-amd64 | sed -n 's/^ *Depends: linux-image-\(.*-cloud-amd64\)$/\1/p' | head -n1)"
	[ -n "$version" ] || fail "cannot tell which cloud kernel linux-image-cloud-amd64 depends on"
fi
kit="$cache/$version-$sources_hash"
[ -f "$kit/ready" ] && reuse "$kit"

work="$(mktemp -d "$cache/.build.XXXXXX")"
trap 'rm -rf "$work"' EXIT
step "building kit for $version in $work"

ensure_apt_lists
image_pkg="linux-image-$version"
headers_pkg="linux-headers-$version"
common_pkg="$(apt-cache depends "$headers_pkg" | sed -n 's/^ *Depends: \(linux-headers-.*-common\)$/\1/p' | head -n1)"
kbuild_pkg="$(apt-cache depends "$headers_pkg" | sed -n 's/^ *Depends: \(linux-kbuild-.*\)$/\1/p' | head -n1)"
[ -n "$common_pkg" ] && [ -n "$kbuild_pkg" ] || fail "cannot resolve the dependencies of $headers_pkg"
step "downloading $image_pkg $headers_pkg $common_pkg $kbuild_pkg"
mkdir -p "$work/debs" "$work/root"
# _apt cannot write into a root-only temp folder; download as root without the warning noise.
(cd "$work/debs" && apt-get download -qq -o APT::Sandbox::User=root \
	"$image_pkg" "$headers_pkg" "$common_pkg" "$kbuild_pkg") >&2
for deb in "$work"/debs/*.deb; do dpkg-deb -x "$deb" "$work/root"; done

release="$(ls "$work/root/lib/modules")"
[ "$(echo "$release" | wc -l)" = 1 ] || fail "expected one kernel release in the image package, got: $release"
modules="$work/root/lib/modules/$release/kernel"
headers="$work/root/usr/src/$headers_pkg"
# The headers' Makefile includes the common tree by absolute path; point it at our unpacked copy.
sed -i "s|^include /usr/src/|include $work/root/usr/src/|" "$headers/Makefile"

step "building provoke.ko against $headers_pkg"
cp -r "$here/module" "$work/module"
make -s -C "$headers" M="$work/module" modules >&2
[ -f "$work/module/provoke.ko" ] || fail "provoke.ko was not built"

step "assembling the initramfs"
initramfs="$work/initramfs"
mkdir -p "$initramfs"/{bin,dev,proc,sys,lib/modules}
cp "$busybox_bin" "$initramfs/bin/busybox"
for applet in $("$busybox_bin" --list); do
	[ "$applet" = busybox ] || ln -s busybox "$initramfs/bin/$applet"
done
# The kernel opens /dev/console for /init before anything can mount devtmpfs.
mknod -m 600 "$initramfs/dev/console" c 5 1
for module in virtio_ring virtio virtio_pci_modern_dev virtio_pci_legacy_dev virtio_pci failover \
	net_failover virtio_net configfs netconsole reed_solomon ramoops virtio-rng; do
	found="$(find "$modules" -name "$module.ko" | head -n1)"
	[ -n "$found" ] || fail "$module.ko is not in $image_pkg"
	cp "$found" "$initramfs/lib/modules/"
done
cp "$work/module/provoke.ko" "$initramfs/lib/modules/"
install -m 755 "$here/init" "$initramfs/init"

out="$work/kit"
mkdir -p "$out"
(cd "$initramfs" && find . | LC_ALL=C sort | cpio -o -H newc --quiet) > "$out/initramfs.cpio"
cp "$work/root/boot/vmlinuz-$release" "$out/vmlinuz"
cp "$work/module/provoke.ko" "$out/provoke.ko"
echo "$release" > "$out/kernel-release"
touch "$out/ready"

rm -rf "$kit"
mv "$out" "$kit"
step "kit ready in $kit"
echo "$kit"
