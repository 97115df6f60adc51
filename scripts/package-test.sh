#!/usr/bin/env bash
# Checks the Debian package as a user would meet it: builds it (preset "release") unless given a
# .deb, runs lintian on it (errors fail), makes a clean Debian 12 root with mmdebstrap, installs the
# package there with apt (Depends resolved from the Debian mirror, no Recommends, so Depends alone
# must be enough), and runs `netspatial --version`, `netspatial simulate`, `netspatial info` and a
# studio screenshot under Xvfb inside it. Everything lands in build/package-test/: the log, the
# lintian report, the screenshot (studio-in-clean-root.png) and the root itself (chroot into it to
# look around: mount /proc in it first, as the executables find their libraries through $ORIGIN,
# which glibc reads from /proc/self/exe). Any failing step stops the script with a non-zero status.
# Needs root for the clean root (mmdebstrap's root mode, apt inside it): run it as root or let it
# use sudo. Downloads ~270 MB from the mirror; not part of the test suite or CI.
# Usage: scripts/package-test.sh [path/to/netspatial-studio_*.deb]
#   NETSPATIAL_DEBIAN_MIRROR=URL  Debian mirror (default: the first one in /etc/apt/sources.list*)
set -Eeuo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
out=$repo/build/package-test
mkdir -p "$out"
exec > >(tee "$out/package-test.log") 2>&1

started=$SECONDS
step_name=""
step() { step_name=$1; echo; echo "== package-test: $1"; }
# A command that fails unexpectedly names its step and line; fail() is for the checks.
# shellcheck disable=SC2154  # s is assigned inside the trap
trap 's=$?; echo; echo "package-test: FAILED during: ${step_name:-setup} (line $LINENO, status $s)"; echo "package-test: log in $out/package-test.log"' ERR
fail() {
  echo; echo "package-test: FAILED during: ${step_name:-setup}: $*"; echo "package-test: log in $out/package-test.log"
  exit 1
}
sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
need() {  # need COMMAND PACKAGE: installs PACKAGE from the host's apt sources when COMMAND is missing
  command -v "$1" > /dev/null && return
  echo "package-test: installing $2"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "$2"
}

# --- the package ----------------------------------------------------------------------------------
if (($# > 1)); then fail "usage: scripts/package-test.sh [package.deb]"; fi
build_s=0
if (($# == 1)); then
  step "package given: $1"
  deb=$(readlink -f "$1")
  [ -f "$deb" ] || fail "no such file: $1"
else
  step "building the release package (cmake --preset release; --target package)"
  t=$SECONDS
  cmake --preset release > /dev/null
  cmake --build --preset release --target package
  build_s=$((SECONDS - t))
  version=$(sed -n 's/^CMAKE_PROJECT_VERSION:STATIC=//p' build/release/CMakeCache.txt)
  deb=$repo/build/release/netspatial-studio_${version}_$(dpkg --print-architecture).deb
  [ -f "$deb" ] || fail "cpack did not write $deb"
fi
field() { dpkg-deb -f "$deb" "$1"; }
[ "$(field Package)" = netspatial-studio ] || fail "$deb is not the netspatial-studio package"
echo "package-test: $deb"
dpkg-deb --contents "$deb" | awk '{print $6}' | grep -E '^\./usr/(bin|lib)/.' | sed 's/^\.//'

# --- lintian --------------------------------------------------------------------------------------
step "lintian"
need lintian lintian
t=$SECONDS
# --fail-on error: warnings and infos are reported, errors fail (lintian warns about running as
# root; that is not about the package).
lintian_status=0
lintian --fail-on error --display-info --tag-display-limit 0 "$deb" > "$out/lintian.txt" 2>&1 || lintian_status=$?
cat "$out/lintian.txt"
lintian_s=$((SECONDS - t))
count_tags() { grep -c "^$1: " "$out/lintian.txt" || true; }
lintian_summary="$(count_tags E) errors, $(count_tags W) warnings, $(count_tags I) info"
echo "package-test: lintian: $lintian_summary"
((lintian_status == 0)) || fail "lintian reports errors (status $lintian_status): see $out/lintian.txt"

# --- a clean Debian 12 with the package ------------------------------------------------------------
step "clean Debian 12 root (mmdebstrap), apt install of the package, the programs inside"
need mmdebstrap mmdebstrap
need identify imagemagick
# The mirror apt uses here: the first deb.debian.org-style .../debian and .../debian-security URIs
# of the host's sources (one-line or deb822), comments skipped.
host_uris=$(cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources 2>/dev/null |
  grep -v '^[[:space:]]*#' | grep -o -E 'https?://[^[:space:]]+' || true)
mirror=${NETSPATIAL_DEBIAN_MIRROR:-$(grep -m1 -E '/debian/?$' <<< "$host_uris" || true)}
mirror=${mirror:-http://deb.debian.org/debian}
security=$(grep -m1 -E '/debian-security/?$' <<< "$host_uris" || true)
security=${security:-http://deb.debian.org/debian-security}
echo "package-test: mirror $mirror, security $security"

root=$out/root
# A root left by an interrupted run may still have /proc or /dev mounted: never delete through them.
if findmnt -rn -o TARGET | grep -q "^$root/"; then fail "$root still has mounts (findmnt | grep $root): unmount them first"; fi
$sudo rm -rf --one-file-system "$root" "$out/inside"
mkdir -p "$out/inside"
rm -f "$out/studio-in-clean-root.png"

# Runs inside the root, as root, after the package is uploaded to /tmp.
cat > "$out/inside.sh" << 'EOF'
#!/bin/sh
set -eu
export HOME=/root LC_ALL=C.UTF-8 DEBIAN_FRONTEND=noninteractive
step() { echo; echo "-- in the clean root: $*"; }
step "apt-get install ./netspatial-studio.deb xvfb xauth (no Recommends)"
apt-get install -y --no-install-recommends /tmp/netspatial-studio.deb xvfb xauth
step "every library resolves"
libs=$(dpkg -L netspatial-studio | grep -E '^/usr/bin/|\.so$')
if ldd $libs | grep 'not found'; then echo "unresolved libraries (above)"; exit 1; fi
echo "ok: $(echo $libs | wc -w) files, $(ldd $libs | awk '/=>/ {print $1}' | sort -u | wc -l) distinct libraries"
step "netspatial --version"
netspatial --version
step "netspatial simulate --preset town --out /tmp/town.gpkg"
netspatial simulate --preset town --out /tmp/town.gpkg
step "netspatial info /tmp/town.gpkg"
netspatial info /tmp/town.gpkg
step "netspatial-studio --screenshot /tmp/shot.png (Xvfb)"
xvfb-run -a -s "-screen 0 1280x800x24" netspatial-studio --screenshot /tmp/shot.png
test -s /tmp/shot.png
EOF

t=$SECONDS
# root mode: mmdebstrap mounts /proc, /sys and /dev for the hooks and unmounts them afterwards.
# Customize hooks run after the base system is installed and before apt's lists are cleaned; "$1"
# in a hook is the root, expanded by mmdebstrap's shell.
# shellcheck disable=SC2016
$sudo mmdebstrap --mode=root --variant=apt \
  --customize-hook="upload '$deb' /tmp/netspatial-studio.deb" \
  --customize-hook="upload '$out/inside.sh' /tmp/inside.sh" \
  --customize-hook='chroot "$1" sh /tmp/inside.sh' \
  --customize-hook="download /tmp/shot.png '$out/studio-in-clean-root.png'" \
  --customize-hook="download /tmp/town.gpkg '$out/inside/town.gpkg'" \
  bookworm "$root" \
  "deb $mirror bookworm main" "deb $mirror bookworm-updates main" "deb $security bookworm-security main"
root_s=$((SECONDS - t))

# --- what came out --------------------------------------------------------------------------------
step "screenshot"
shot=$out/studio-in-clean-root.png
[ -s "$shot" ] || fail "no screenshot came out of the root"
$sudo chown "$(id -u):$(id -g)" "$shot" "$out/inside/town.gpkg"
geometry=$(identify -format '%wx%h' "$shot")
colours=$(identify -format '%k' "$shot")
# A blank or single-colour window means the studio did not draw its city.
((colours > 256)) || fail "the screenshot has only $colours colours: the window looks empty ($shot)"
echo "package-test: $shot: $geometry px, $colours colours"

log=$out/package-test.log
apt_out=$(sed -n '/^-- in the clean root: apt-get install/,/^-- in the clean root: every/p' "$log")
apt_line=$(grep -m1 -E '^[0-9]+ upgraded, [0-9]+ newly installed' <<< "$apt_out" || true)
apt_get=$(grep -m1 -E '^Need to get ' <<< "$apt_out" || true)
apt_disk=$(grep -m1 -E '^After this operation' <<< "$apt_out" || true)
root_mb=$($sudo du -sm "$root" | cut -f1)
echo
echo "== package-test: passed in $((SECONDS - started)) s"
echo "package:        $deb"
echo "size:           $(($(stat -c %s "$deb") / 1024)) KiB; Installed-Size $(field Installed-Size) KiB"
echo "version:        $(field Version) ($(field Architecture)), section $(field Section)"
echo "Depends:        $(field Depends)"
echo "lintian:        $lintian_summary (full report: $out/lintian.txt)"
echo "apt in root:    $apt_line"
echo "                ${apt_get%.}; $apt_disk"
echo "clean root:     $root ($root_mb MB)"
echo "screenshot:     $shot ($geometry px)"
echo "timings:        build ${build_s} s, lintian ${lintian_s} s, root + install + runs ${root_s} s"
