#!/usr/bin/env bash
# Build the sdist and the wheel the way a release does, check they carry models/ and resources/,
# then install the wheel into a FRESH virtual environment (no system site-packages) and colorize a
# sample that the wheel itself carries, from outside the checkout.
#
#   bash packaging/check_wheel.sh            (KEEP=1 keeps the temp folder for a look afterwards)
#
# torch is installed first, as the CPU build, from the local wheel folder (PAINTASSIST_WHEELS,
# default /opt/wheels; PAINTASSIST_TORCH, default torch==2.13.0+cpu): a bare `torch` requirement
# on a machine without torch would pull several GB of CUDA wheels. The rest comes from the index.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PY="${PYTHON:-python3}"
WHEELS="${PAINTASSIST_WHEELS:-/opt/wheels}"
TORCH_SPEC="${PAINTASSIST_TORCH:-torch==2.13.0+cpu}"

log() { printf '\033[1m[check_wheel]\033[0m %s\n' "$*" >&2; }
fail() { printf '\033[1;31m[check_wheel] FAIL:\033[0m %s\n' "$*" >&2; exit 1; }

work="$(mktemp -d "${TMPDIR:-/tmp}/paintassist-wheel.XXXXXX")"
if [ "${KEEP:-0}" = 1 ]; then log "keeping $work"; else trap 'rm -rf "$work"' EXIT; fi

log "building sdist + wheel (isolated, wheel built from the sdist) into $work/dist"
# build's default: the sdist first, then the wheel from the unpacked sdist, so the wheel proves
# that MANIFEST.in put models/ and resources/ into the sdist and setup.py copied them on.
"$PY" -m build --outdir "$work/dist" "$ROOT" > "$work/build.log" 2>&1 ||
  { tail -40 "$work/build.log" >&2; fail "python -m build failed (log above)"; }
wheel="$(ls "$work"/dist/paintassist-*.whl)"
sdist="$(ls "$work"/dist/paintassist-*.tar.gz)"
"$PY" "$ROOT/packaging/dist_contents.py" "$wheel" "$sdist" || fail "wheel/sdist contents"
log "sizes: $(du -h "$wheel" | cut -f1) wheel, $(du -h "$sdist" | cut -f1) sdist"

log "fresh venv (no system site-packages) in $work/venv"
"$PY" -m venv "$work/venv"
vpy="$work/venv/bin/python"
pip=("$vpy" -m pip -q --disable-pip-version-check)
# This machine's pip config names local index folders that may be absent: drop that chatter.
quiet_pip() { "${pip[@]}" "$@" 2> >(grep -v "is ignored: it is neither a file nor a directory" >&2); }
"$vpy" -c 'import sys; assert sys.prefix != sys.base_prefix' || fail "not a venv"
log "installing $TORCH_SPEC from $WHEELS"
quiet_pip install --find-links "$WHEELS" "$TORCH_SPEC"
log "installing $(basename "$wheel") and its dependencies"
quiet_pip install --find-links "$WHEELS" "$wheel"

# Run from an empty folder with no PAINTASSIST_* overrides: nothing may come from the checkout.
run_dir="$work/run"
mkdir -p "$run_dir"
cd "$run_dir"
unset PAINTASSIST_MODELS PAINTASSIST_RESOURCES PYTHONPATH
export QT_QPA_PLATFORM=offscreen
sample="$("$vpy" -c 'from paintassist.paths import sample_sketches; print(sample_sketches()[0])')"
case "$sample" in
  "$work/venv/"*) log "sample from the installed wheel: $sample" ;;
  *) fail "sample $sample does not come from the installed wheel" ;;
esac
origin="$("$vpy" -c 'import paintassist; print(paintassist.__file__)')"
case "$origin" in "$work/venv/"*) ;; *) fail "paintassist imported from $origin, not the venv" ;; esac

log "paintassist --version"
"$work/venv/bin/paintassist" --version
log "paintassist models"
"$work/venv/bin/paintassist" models
log "paintassist colorize $(basename "$sample") (networks if shipped)"
start=$(date +%s%N)
"$work/venv/bin/paintassist" colorize "$sample" --out "$run_dir/out" --quiet > "$work/colorize.log" 2>&1 ||
  { cat "$work/colorize.log" >&2; fail "paintassist colorize $sample exited with an error"; }
cat "$work/colorize.log"
if [ -f "$ROOT/models/manifest.json" ]; then
  grep -q "networks loaded" "$work/colorize.log" ||
    fail "the wheel ships weights but colorize did not load the networks (log above)"
fi
end=$(date +%s%N)
stem="$(basename "$sample" .png)"
for f in "out/$stem/composite.png" "out/$stem/flats.png" "out/$stem/lineart.png" \
         "out/$stem/manifest.json" "out/$stem.ora"; do
  [ -s "$f" ] || fail "colorize did not write $f"
done
log "colorize wrote out/$stem/ and out/$stem.ora in $(( (end - start) / 1000000 )) ms"
log "OK: the wheel installs in a fresh venv and colorizes its bundled sample"
