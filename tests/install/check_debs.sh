#!/usr/bin/env bash
# Installs the Debian packages (default: build-deb/*.deb but -dbgsym, as built by
# scripts/build_debs.sh) with apt and runs the install consumer scenarios
# (tests/install/consumer_test.py --system) against /usr: a C program built
# with pkg-config, `import chunkbuf` with /usr/bin/python3, `require
# "chunkbuf"` with lua5.4, the Go example against the installed module (when
# Go is there), and dlopen by name from ctypes and LuaJIT.
# Packages that were not installed before are purged again at the end,
# unless CHUNKBUF_KEEP_DEBS=1.
#   tests/install/check_debs.sh [DEB...]
set -euo pipefail
cd "$(dirname "$0")/../.."
export PATH="$PATH:/usr/local/go/bin"

debs=("$@")
if [ "${#debs[@]}" -eq 0 ]; then  # the packages, not their -dbgsym
  for d in build-deb/*.deb; do
    case "$d" in *-dbgsym_*) ;; *) debs+=("$d") ;; esac
  done
fi
paths=()
names=()
for d in "${debs[@]}"; do
  [ -f "$d" ] || { echo "check_debs: no such package: $d" >&2; exit 2; }
  paths+=("$(realpath "$d")")
  names+=("$(dpkg-deb -f "$d" Package)")
done

SUDO=""; if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
fresh=()
for n in "${names[@]}"; do
  dpkg-query -W -f='${Status}' "$n" 2>/dev/null | grep -q "install ok installed" || fresh+=("$n")
done
cleanup() {
  if [ "${CHUNKBUF_KEEP_DEBS:-0}" != 1 ] && [ "${#fresh[@]}" -gt 0 ]; then
    echo "check_debs: purging ${fresh[*]}"
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get purge -y -qq "${fresh[@]}" >/dev/null
  fi
}
trap cleanup EXIT

echo "check_debs: installing ${names[*]}"
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --reinstall --no-install-recommends "${paths[@]}" >/dev/null
dpkg-query -W "${names[@]}"

args=(--system --python /usr/bin/python3)
if command -v lua5.4 >/dev/null; then args+=(--lua "$(command -v lua5.4)"); else args+=(--skip-lua "lua5.4 not installed"); fi
if command -v go >/dev/null; then args+=(--go "$(command -v go)"); else args+=(--skip-go "go not found (/usr/local/go/bin or PATH)"); fi
if command -v luajit >/dev/null; then args+=(--luajit "$(command -v luajit)"); else args+=(--skip-luajit "luajit not installed"); fi
if command -v cmake >/dev/null; then args+=(--cmake "$(command -v cmake)"); else args+=(--skip-cmake "cmake not installed"); fi
/usr/bin/python3 tests/install/consumer_test.py "${args[@]}"

# Each package carries its README (and the examples of its language) under
# /usr/share/doc/<package>/.
for n in "${names[@]}"; do
  case "$n" in *-dbgsym) continue ;; esac
  files=$(dpkg -L "$n")
  grep -Eq "^/usr/share/doc/$n/README(\.md)?(\.gz)?$" <<<"$files" \
    || { echo "check_debs: $n installs no README under /usr/share/doc/$n" >&2; exit 1; }
  case "$n" in
    libchunkbuf1) ;;
    *) grep -q "^/usr/share/doc/$n/examples/." <<<"$files" \
         || { echo "check_debs: $n installs no examples under /usr/share/doc/$n/examples" >&2; exit 1; } ;;
  esac
done
echo "check_debs: every package has its README and examples under /usr/share/doc"
