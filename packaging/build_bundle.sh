#!/usr/bin/env bash
# Build the one-folder desktop bundle with PyInstaller, then smoke-test it in a clean environment.
#
#   bash packaging/build_bundle.sh            build into dist/paintassist/, then test it
#   bash packaging/build_bundle.sh --test     only test an existing dist/paintassist/
#
# Needs the project's Python environment (torch CPU build, PySide6-Essentials, ...); installs
# PyInstaller into it if missing. The build is CPU-heavy (minutes): it runs under `nice -n 10`.
# The smoke tests run the bundle with `env -i` (no Python variables, PATH=/usr/bin:/bin), so
# nothing can come from a Python installation: --version (start time, median of 3), a headless
# `colorize` of a bundled sample, `demo`, `models`, and the GUI launcher (offscreen).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
PY="${PYTHON:-python3}"
DIST="$ROOT/dist/paintassist"
CLEAN_ENV=(env -i "HOME=$HOME" "PATH=/usr/bin:/bin")

log() { printf '\033[1m[bundle]\033[0m %s\n' "$*" >&2; }
fail() { printf '\033[1;31m[bundle] FAIL:\033[0m %s\n' "$*" >&2; exit 1; }
now_ms() { echo $(( $(date +%s%N) / 1000000 )); }

build() {
  if ! "$PY" -m PyInstaller --version >/dev/null 2>&1; then
    log "installing PyInstaller"
    "$PY" -m pip install -q --disable-pip-version-check "pyinstaller>=6.10" "pyinstaller-hooks-contrib"
  fi
  if [ -f resources/icons/paintassist.svg ] && command -v rsvg-convert >/dev/null 2>&1; then
    bash packaging/make_icons.sh >&2   # the 256 px PNG becomes the Windows/macOS icon
  else
    log "warning: no icon set (resources/icons/paintassist.svg or rsvg-convert missing)"
  fi
  [ -f models/manifest.json ] || log "warning: models/manifest.json missing: the bundle ships no networks"
  log "PyInstaller $("$PY" -m PyInstaller --version), log in build/pyinstaller.log"
  mkdir -p build
  local start; start=$(now_ms)
  if ! nice -n 10 "$PY" -m PyInstaller --noconfirm --log-level WARN --distpath "$ROOT/dist" \
      --workpath "$ROOT/build/pyinstaller" packaging/paintassist.spec > build/pyinstaller.log 2>&1; then
    tail -40 build/pyinstaller.log >&2
    fail "PyInstaller failed (see build/pyinstaller.log)"
  fi
  log "built $DIST in $(( ($(now_ms) - start) / 1000 )) s"
}

smoke_test() {
  local exe="$DIST/paintassist" gui="$DIST/paintassist-gui"
  [ -x "$exe" ] || fail "$exe missing: build first"
  local data="$DIST/_internal/paintassist/_data"
  [ -d "$data/resources/samples" ] || fail "bundle lacks $data/resources/samples"
  local tmp; tmp="$(mktemp -d "${TMPDIR:-/tmp}/paintassist-bundle.XXXXXX")"
  trap 'rm -rf "$tmp"' RETURN

  log "--version (clean environment), 3 runs"
  local times=() t0 version
  for _ in 1 2 3; do
    t0=$(now_ms)
    version="$("${CLEAN_ENV[@]}" "$exe" --version)" || fail "--version failed"
    times+=( $(( $(now_ms) - t0 )) )
  done
  echo "$version"
  local median; median="$(printf '%s\n' "${times[@]}" | sort -n | sed -n 2p)"

  local sample; sample="$(ls "$data"/resources/samples/*.png | head -1)"
  local stem; stem="$(basename "$sample" .png)"
  log "colorize $(basename "$sample") (headless, clean environment)"
  t0=$(now_ms)
  (cd "$tmp" && "${CLEAN_ENV[@]}" "$exe" colorize "$sample" --out "$tmp/colorize" --quiet) \
    > "$tmp/colorize.log" 2>&1 || { cat "$tmp/colorize.log" >&2; fail "colorize failed"; }
  local colorize_ms=$(( $(now_ms) - t0 ))
  cat "$tmp/colorize.log"
  for f in "$tmp/colorize/$stem/composite.png" "$tmp/colorize/$stem/manifest.json" \
           "$tmp/colorize/$stem.ora"; do
    [ -s "$f" ] || fail "colorize did not write $f"
  done
  if [ -f "$data/models/manifest.json" ]; then
    grep -q "networks loaded" "$tmp/colorize.log" ||
      fail "the bundle ships weights but colorize did not load the networks (log above)"
  fi

  log "demo (clean environment)"
  (cd "$tmp" && "${CLEAN_ENV[@]}" "$exe" demo --out "$tmp/demo") > "$tmp/demo.log" 2>&1 ||
    { cat "$tmp/demo.log" >&2; fail "demo failed"; }
  tail -2 "$tmp/demo.log"

  log "models (clean environment)"
  "${CLEAN_ENV[@]}" "$exe" models || fail "models failed"

  log "GUI launcher without a display: must explain and exit 2"
  local rc=0
  "${CLEAN_ENV[@]}" "$gui" > "$tmp/gui.log" 2>&1 || rc=$?
  [ "$rc" = 2 ] && grep -q "No display" "$tmp/gui.log" ||
    { cat "$tmp/gui.log" >&2; fail "paintassist-gui without a display exited $rc"; }
  log "GUI launcher offscreen with a sample: must still be running after 20 s"
  rc=0
  timeout -s TERM 20 "${CLEAN_ENV[@]}" QT_QPA_PLATFORM=offscreen "$gui" "$sample" \
    > "$tmp/gui.log" 2>&1 || rc=$?
  [ "$rc" = 124 ] || { tail -20 "$tmp/gui.log" >&2; fail "paintassist-gui offscreen exited $rc"; }

  if command -v xvfb-run >/dev/null 2>&1 && command -v import >/dev/null 2>&1; then
    log "GUI launcher on X11 (Xvfb: the xcb platform plugin), screenshot after 20 s"
    # env -i drops XAUTHORITY, which xvfb-run's display needs: pass it on explicitly.
    cat > "$tmp/x11.sh" <<SCRIPT
env -i HOME="\$HOME" PATH=/usr/bin:/bin DISPLAY="\$DISPLAY" XAUTHORITY="\$XAUTHORITY" \
  "$gui" "$sample" > "$tmp/gui_x11.log" 2>&1 &
pid=\$!
sleep 20
kill -0 \$pid || exit 1
import -window root "$ROOT/build/bundle-gui.png"
kill \$pid
SCRIPT
    timeout 90 xvfb-run -a -s "-screen 0 1400x900x24" bash "$tmp/x11.sh" ||
      { tail -20 "$tmp/gui_x11.log" >&2; fail "paintassist-gui did not stay up on X11"; }
    log "screenshot of the bundled app: build/bundle-gui.png"
  fi

  log "shared libraries whose dependencies the bundle leaves to the system:"
  local internal="$DIST/_internal" missing
  missing="$(find "$internal" -name '*.so*' -type f -print0 |
    xargs -0 -n 20 env LD_LIBRARY_PATH="$internal" ldd 2>/dev/null |
    awk '/not found/ {print $1}' | sort | uniq -c | sort -rn)" || true
  if [ -n "$missing" ]; then
    echo "$missing" | head -15 >&2
    log "(count = bundled libraries needing it; not on this machine either, so only plugins the"
    log " smoke tests did not need use them, e.g. Qt's Wayland platform needs libwayland-*)"
  else
    log "none unresolved on this machine"
  fi

  local size; size="$(du -sh "$DIST" | cut -f1)"
  log "largest parts of the bundle:"
  du -sh "$DIST"/_internal/* 2>/dev/null | sort -rh | head -8 >&2
  echo "bundle: $DIST"
  echo "bundle size (du -sh): $size"
  echo "--version start time, median of 3: ${median} ms (runs: ${times[*]} ms)"
  echo "headless colorize of $stem: ${colorize_ms} ms including start-up"
  echo "smoke tests: all passed"
}

case "${1:-}" in
  --test) smoke_test ;;
  "") build; smoke_test ;;
  -h|--help) sed -n '2,11p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' ;;
  *) echo "usage: bash packaging/build_bundle.sh [--test]" >&2; exit 2 ;;
esac
