#!/usr/bin/env bash
# Builds the Debian packages (debian/) with dpkg-buildpackage -us -uc -b in
# build-deb/: a copy of the working tree (tracked and untracked files, not
# what .gitignore names) goes to build-deb/chunkbuf-<version>/, dh builds
# out of tree in its obj-<triplet>/, and the .deb files land in build-deb/.
# Then lintian checks them and fails on any error. `scripts/dev package`
# runs this, then tests/install/check_debs.sh.
set -euo pipefail
cd "$(dirname "$0")/.."

# Packaging tools and Debian's own build dependencies (python3-cffi for
# /usr/bin/python3, not pyenv's).
PKG_TOOLS=(dpkg-dev debhelper dh-python lintian python3-dev python3-cffi)
missing=()
for p in "${PKG_TOOLS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  SUDO=""; if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
  echo "build_debs: installing ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

out=build-deb
version=$(dpkg-parsechangelog -l debian/changelog -S Version)
src=$out/chunkbuf-$version
rm -rf "$out"
mkdir -p "$src"
git ls-files -z --cached --others --exclude-standard \
  | tar --null --ignore-failed-read -T - -cf - 2>/dev/null | tar -xf - -C "$src"

(cd "$src" && DEB_BUILD_OPTIONS="parallel=2 ${DEB_BUILD_OPTIONS:-}" dpkg-buildpackage -us -uc -b)
ls -l "$out"/*.deb

changes=("$out"/chunkbuf_"${version}"_*.changes)
echo "build_debs: lintian ${changes[*]}"
lintian --fail-on error "${changes[@]}"
