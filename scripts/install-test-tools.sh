#!/usr/bin/env bash
# Test tools Debian's stable release is too old for, installed into .test-tools/ (gitignored):
#   nginx >= 1.27.3, whose `server ... resolve` in an upstream (what the scaling module generates,
#   so a recreated replica's new address is followed) Debian 12's nginx 1.22 rejects. It comes
#   from Debian unstable's package with that release's own C library and dynamic loader, unpacked
#   here (not installed into the system), and runs through .test-tools/bin/nginx.
# Idempotent; needs apt-get and dpkg-deb (any Debian) and the Debian archive. CI runs it
# (.ci/run); on another machine set LLM_TEST_NGINX to an nginx >= 1.27.3 instead.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
tools="$root/.test-tools"
wrapper="$tools/bin/nginx"

if [ -x "$wrapper" ] && "$wrapper" -v >/dev/null 2>&1; then
  echo "test tools: $("$wrapper" -v 2>&1) already in .test-tools/"
  exit 0
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/lists/partial" "$work/cache/archives/partial" "$work/debs"
echo "deb http://deb.debian.org/debian sid main" >"$work/sources.list"
apt_opts=(-o "Dir::Etc::sourcelist=$work/sources.list" -o "Dir::Etc::sourceparts=-" -o "Dir::State::Lists=$work/lists"
  -o "Dir::Cache=$work/cache" -o "APT::Sandbox::User=root" -qq)
apt-get "${apt_opts[@]}" update
# nginx and every library it links against, from the same release, so it needs nothing of the host's.
(cd "$work/debs" && apt-get "${apt_opts[@]}" download nginx libc6 libcrypt1 libpcre2-8-0 libssl3t64 zlib1g)

rm -rf "$tools/nginx"
mkdir -p "$tools/nginx" "$tools/bin"
for deb in "$work"/debs/*.deb; do dpkg-deb -x "$deb" "$tools/nginx"; done
cat >"$wrapper" <<'SH'
#!/bin/sh
# nginx from Debian unstable, run with that release's loader and libraries (scripts/install-test-tools.sh).
here="$(cd "$(dirname "$0")/../nginx" && pwd)"
exec "$here/usr/lib64/ld-linux-x86-64.so.2" --library-path "$here/usr/lib/x86_64-linux-gnu:$here/lib/x86_64-linux-gnu" "$here/usr/sbin/nginx" "$@"
SH
chmod 0755 "$wrapper"
version="$("$wrapper" -v 2>&1)"
echo "test tools: $version in .test-tools/"
