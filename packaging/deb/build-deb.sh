#!/usr/bin/env bash
# Builds the Debian package netoops_<version>_amd64.deb with dpkg-deb:
#   /usr/lib/netoops/netoops           the self-contained netoops CLI for linux-x64 (agent and collector),
#                                      published as src/Netoops.Cli/Netoops.Cli.csproj says for
#                                      NetoopsPackage=true (design/agent.md, "Footprint")
#   /usr/lib/netoops/libe_sqlite3.so   the collector's SQLite, found beside the binary
#   /usr/bin/netoops                   -> ../lib/netoops/netoops
#   /etc/netoops/agent.json            conffile, from src/Netoops.Agent/deploy/agent.json
#   /etc/netoops/collector.json        conffile, from src/Netoops.Collector/deploy/collector.json
#   /lib/systemd/system/netoops-agent.service      from src/Netoops.Agent/deploy (Type=notify, root)
#   /lib/systemd/system/netoops-collector.service  from src/Netoops.Collector/deploy (user netoops)
# postinst creates the system user netoops; postrm purge removes it and the state directories.
#
#   packaging/deb/build-deb.sh [OUT_DIR]    prints the .deb's path on its last line (OUT_DIR default: artifacts/deb)
#   packaging/deb/build-deb.sh --publish-only   only fills the publish cache (.ci/install)
#
# The publish takes minutes on a busy 2-core machine, so it is cached under
# /var/cache/netoops-deb/<hash of the sources, build settings and SDK>/ (.ci/install warms it before
# the tests run; entries unused for 14 days are removed); the package itself is always rebuilt.
# Environment: NETOOPS_VERSION (default: the binary's own --version without its +commit),
# NETOOPS_PUBLISHED (a folder already holding a published netoops; skips publish and cache),
# NETOOPS_DEB_CACHE (default /var/cache/netoops-deb; empty: no cache).
set -euo pipefail
publish_only=false
if [ "${1:-}" = --publish-only ]; then publish_only=true; shift; fi
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"

fail() { echo "build-deb: $*" >&2; exit 1; }
step() { echo "build-deb: $*" >&2; }
for tool in dotnet dpkg-deb dpkg-query ldd sha256sum flock; do
	command -v "$tool" >/dev/null || fail "$tool is missing"
done

work="$(mktemp -d "${TMPDIR:-/tmp}/netoops-deb.XXXXXX")"
trap 'rm -rf "$work"' EXIT

publish() { # publish FOLDER
	step "publishing src/Netoops.Cli (NetoopsPackage=true) into $1"
	local started=$SECONDS
	# Own artifacts folder: the publish neither reads nor rewrites the obj/ and bin/ of the
	# developer's or the running tests' builds.
	dotnet publish "$repo/src/Netoops.Cli" -c Release -r linux-x64 -p:NetoopsPackage=true \
		--artifacts-path "$work/artifacts" -o "$1" -nologo -v quiet >&2
	step "published in $((SECONDS - started)) s"
}

published="${NETOOPS_PUBLISHED:-}"
cache="${NETOOPS_DEB_CACHE-/var/cache/netoops-deb}"
if [ -z "$published" ] && [ -n "$cache" ]; then
	key="$( (cd "$repo" && find src -type f -not -path '*/bin/*' -not -path '*/obj/*' | LC_ALL=C sort \
		| xargs sha256sum; sha256sum Directory.Build.props Directory.Packages.props; dotnet --version) | sha256sum | cut -c1-12)"
	mkdir -p "$cache"
	exec 9>"$cache/.lock"
	flock 9
	find "$cache" -mindepth 2 -maxdepth 2 -name ready -mtime +14 -printf '%h\n' | xargs -r rm -rf
	# Under the lock, a *.new folder is what an interrupted publish left.
	find "$cache" -mindepth 1 -maxdepth 1 -name '*.new' -exec rm -rf {} +
	published="$cache/$key"
	if [ -f "$published/ready" ]; then
		touch "$published/ready"
		step "reusing the publish in $published"
	else
		rm -rf "$published" "$published.new"
		publish "$published.new"
		find "$published.new" -maxdepth 1 -type f ! -name netoops ! -name '*.so' -delete
		touch "$published.new/ready"
		mv "$published.new" "$published"
	fi
	flock -u 9
elif [ -z "$published" ]; then
	published="$work/publish"
	publish "$published"
fi
[ -x "$published/netoops" ] || fail "$published holds no netoops binary"
if $publish_only; then echo "$published"; exit 0; fi

version="${NETOOPS_VERSION:-$("$published/netoops" --version | sed 's/+.*//')}"
[[ "$version" =~ ^[0-9][A-Za-z0-9.+~-]*$ ]] || fail "not a Debian version: '$version'"

root="$work/root"
install -d "$root/usr/lib/netoops" "$root/usr/bin" "$root/etc/netoops" "$root/lib/systemd/system" \
	"$root/usr/share/doc/netoops" "$root/DEBIAN"
install -m 0755 "$published/netoops" "$root/usr/lib/netoops/netoops"
# Native libraries the publish left beside the binary (SQLite); debug symbols stay out.
find "$published" -maxdepth 1 -name '*.so' -exec install -m 0644 {} "$root/usr/lib/netoops/" \;
ln -s ../lib/netoops/netoops "$root/usr/bin/netoops"
install -m 0644 "$repo/src/Netoops.Agent/deploy/agent.json" "$root/etc/netoops/agent.json"
install -m 0644 "$repo/src/Netoops.Collector/deploy/collector.json" "$root/etc/netoops/collector.json"
install -m 0644 "$repo/src/Netoops.Agent/deploy/netoops-agent.service" "$root/lib/systemd/system/"
install -m 0644 "$repo/src/Netoops.Collector/deploy/netoops-collector.service" "$root/lib/systemd/system/"
install -m 0644 "$repo/README.md" "$root/usr/share/doc/netoops/README.md"

# Depends: the packages holding the libraries the binaries link, and OpenSSL, which .NET loads
# with dlopen (hashing, TLS), so ldd cannot see it.
libraries="$( (find "$root/usr/lib/netoops" -type f -exec ldd {} \; 2>/dev/null || true) | grep -o '=> /[^ ]*' | cut -c4-; \
	ls /usr/lib/x86_64-linux-gnu/libssl.so.3)"
depends="$(for library in $libraries; do dpkg-query -S "$(readlink -f "$library")" 2>/dev/null || dpkg-query -S "$library" 2>/dev/null || true; done \
	| cut -d: -f1 | LC_ALL=C sort -u | paste -sd, | sed 's/,/, /g')"
[ -n "$depends" ] || fail "found no package for the linked libraries"

cat > "$root/DEBIAN/control" <<CONTROL
Package: netoops
Version: $version
Architecture: amd64
Maintainer: netoops developers <netoops@localhost>
Installed-Size: $(du -sk --exclude=DEBIAN "$root" | cut -f1)
Depends: $depends, passwd
Section: admin
Priority: optional
Description: ship Linux kernel crashes over netoops v3 and netconsole, and collect them
 One binary, /usr/bin/netoops: the agent (netoops-agent.service, root) reads /dev/kmsg and
 pstore and sends crash dumps as netoops v3 packets and netconsole; the collector
 (netoops-collector.service, user netoops) receives, titles, buckets and stores them
 and serves a JSON API and a dashboard. Settings: /etc/netoops/agent.json and collector.json.
CONTROL
printf '/etc/netoops/agent.json\n/etc/netoops/collector.json\n' > "$root/DEBIAN/conffiles"
install -m 0755 "$here/postinst" "$here/prerm" "$here/postrm" "$root/DEBIAN/"

out="$(mkdir -p "${1:-$repo/artifacts/deb}" && cd "${1:-$repo/artifacts/deb}" && pwd)"
deb="$out/netoops_${version}_amd64.deb"
# xz -1: much less time than the default level for a few per cent more bytes.
dpkg-deb --root-owner-group -Zxz -z1 --build "$root" "$deb" >&2
step "$(du -h "$deb" | cut -f1) $deb"
echo "$deb"
