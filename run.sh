#!/usr/bin/env bash
# paintassist — set up everything and run it.
#
#   bash run.sh          install (first time only), then open the app on a bundled sample sketch;
#                        with no display, colorize the bundled samples headless into ./out/
#   bash run.sh test     install (first time only), then lint, type-check and run the test suite
#
# Installs into ./.venv (override with PAINTASSIST_VENV). On Debian/Ubuntu as root it also installs
# the few system libraries Qt needs. torch is installed first as the CPU build: a plain `torch`
# requirement would pull several GB of CUDA wheels.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

VENV="${PAINTASSIST_VENV:-.venv}"
PY="${PYTHON:-python3}"
TORCH_SPEC="${PAINTASSIST_TORCH:-torch==2.13.0+cpu}"
SYSTEM_PACKAGES=(libgl1 libegl1 libfontconfig1 libxkbcommon0 libxkbcommon-x11-0 libdbus-1-3
  libglib2.0-0 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-image0 libxcb-render-util0
  libxcb-shape0 libxcb-randr0 libxcb-xinerama0 xvfb xauth imagemagick gmic xdotool)

log() { printf '\033[1m[paintassist]\033[0m %s\n' "$*" >&2; }

system_packages() {
  command -v apt-get >/dev/null 2>&1 || return 0
  [ "$(id -u)" = 0 ] || { log "not root: skipping system packages (${SYSTEM_PACKAGES[*]})"; return 0; }
  local missing=()
  for p in "${SYSTEM_PACKAGES[@]}"; do
    dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  log "installing system packages: ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

python_env() {
  local stamp="$VENV/.paintassist-installed"
  local want
  want="$(cat pyproject.toml setup.py | sha256sum | cut -c1-16)"
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then return 0; fi
  [ -x "$VENV/bin/python" ] || { log "creating $VENV"; "$PY" -m venv "$VENV"; }
  local pip=("$VENV/bin/python" -m pip -q --disable-pip-version-check)
  log "installing $TORCH_SPEC (CPU build)"
  "${pip[@]}" install "$TORCH_SPEC"
  log "installing paintassist and its tools"
  "${pip[@]}" install -e ".[dev]"
  echo "$want" > "$stamp"
}

system_packages
python_env
export PATH="$PWD/$VENV/bin:$PATH"

case "${1:-run}" in
  test)
    log "ruff"; ruff check paintassist tests bench tools packaging
    log "mypy"; mypy
    log "import layers"; lint-imports --no-cache
    log "pytest"; QT_QPA_PLATFORM=offscreen python -m pytest -q
    ;;
  run)
    sample="$(python -c 'from paintassist.paths import sample_sketches; print(sample_sketches()[0])')"
    if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
      log "opening the app on $sample"
      exec paintassist "$sample"
    fi
    log "no display: colorizing the bundled samples into ./out"
    paintassist demo --out out
    ;;
  *)
    echo "usage: bash run.sh [run|test]" >&2; exit 2 ;;
esac
