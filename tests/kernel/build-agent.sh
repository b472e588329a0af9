#!/usr/bin/env bash
# Puts our agent into the guest: publishes the netoops CLI self-contained for linux-x64 and
# appends it, with the host libraries it links, to the kit's initramfs as a second newc archive
# (the kernel unpacks concatenated archives in order).
#
#   tests/kernel/build-agent.sh KIT_FOLDER     prints the folder holding initramfs.cpio on its last line
#
# Publishing takes minutes on a busy machine, so the result is cached under
# /var/cache/netoops-agent-guest/<hash of the agent's sources and of the kit>/ and a second run
# only checks that it is there; entries unused for 14 days are removed.
# Environment: NETOOPS_AGENT_GUEST_CACHE (default /var/cache/netoops-agent-guest).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
kit="${1:?usage: build-agent.sh KIT_FOLDER}"
cache="${NETOOPS_AGENT_GUEST_CACHE:-/var/cache/netoops-agent-guest}"

fail() { echo "build-agent: $*" >&2; exit 1; }
step() { echo "build-agent: $*" >&2; }

[ -f "$kit/initramfs.cpio" ] || fail "$kit holds no initramfs.cpio"
for tool in dotnet cpio ldd sha256sum; do
	command -v "$tool" >/dev/null || fail "$tool is missing"
done

# Everything the published program is made of: the sources (not their bin/obj), the build
# settings, this script and the kit it is appended to.
sources_hash="$( (cd "$repo" && find src -type f -not -path '*/bin/*' -not -path '*/obj/*' | LC_ALL=C sort \
	| xargs sha256sum; sha256sum Directory.Build.props Directory.Packages.props "$here/build-agent.sh"; \
	echo "$kit"; dotnet --version) | sha256sum | cut -c1-12)"
mkdir -p "$cache"
exec 9>"$cache/.lock"
flock 9

find "$cache" -mindepth 2 -maxdepth 2 -name ready -mtime +14 -printf '%h\n' | xargs -r rm -rf
out="$cache/$sources_hash"
if [ -f "$out/ready" ]; then
	touch "$out/ready"
	step "reusing $out"
	echo "$out"
	exit 0
fi

work="$(mktemp -d "$cache/.build.XXXXXX")"
trap 'rm -rf "$work"' EXIT
step "publishing src/Netoops.Cli self-contained for linux-x64 into $work"
# ReadyToRun: the framework comes precompiled, our assemblies and Akka are precompiled here, so
# the emulated CPU does not have to JIT the whole start-up.
dotnet publish "$repo/src/Netoops.Cli" -c Release -r linux-x64 --self-contained \
	-p:PublishReadyToRun=true -p:DebugType=none -o "$work/root/opt/netoops" -nologo -v quiet >&2

step "adding the host libraries the published binaries link"
# OpenSSL is loaded with dlopen (hashing), so ldd cannot see it.
libraries="$( (find "$work/root/opt/netoops" -type f \( -name netoops -o -name '*.so' \) -exec ldd {} \; 2>/dev/null; \
	ls /usr/lib/x86_64-linux-gnu/libssl.so.3 /usr/lib/x86_64-linux-gnu/libcrypto.so.3) \
	| grep -o '/[^ ]*\.so[^ ]*' | LC_ALL=C sort -u)"
for library in $libraries; do
	[ -e "$library" ] || continue
	mkdir -p "$work/root$(dirname "$library")"
	cp -L "$library" "$work/root$library"
done

(cd "$work/root" && find . | LC_ALL=C sort | cpio -o -H newc --quiet) > "$work/agent.cpio"
mkdir -p "$work/out"
cat "$kit/initramfs.cpio" "$work/agent.cpio" > "$work/out/initramfs.cpio"
du -sh "$work/root/opt/netoops" "$work/out/initramfs.cpio" | sed 's/^/build-agent: size /' >&2
touch "$work/out/ready"
rm -rf "$out"
mv "$work/out" "$out"
step "agent initramfs ready in $out"
echo "$out"
