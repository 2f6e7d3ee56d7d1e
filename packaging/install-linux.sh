#!/usr/bin/env bash
# Install (or remove) PaintAssist's desktop entry, icons, AppStream metainfo and the project MIME
# type for the current user, so the app appears in the menu and opens .paintassist files.
#
#   bash packaging/install-linux.sh                       launcher runs `paintassist-gui` from PATH
#   bash packaging/install-linux.sh --bundle dist/paintassist   launcher runs the PyInstaller bundle
#   bash packaging/install-linux.sh --uninstall
#
# Options: --prefix DIR (default ${XDG_DATA_HOME:-~/.local/share}), --svg FILE (icon source,
# default resources/icons/paintassist.svg). Nothing outside the prefix is touched.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
APP_ID="io.github.paintassist.PaintAssist"
PREFIX="${XDG_DATA_HOME:-$HOME/.local/share}"
SVG="$ROOT/resources/icons/paintassist.svg"
BUNDLE=""
UNINSTALL=0

usage() { sed -n '2,11p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }
while [ $# -gt 0 ]; do
  case "$1" in
    --prefix) PREFIX="$2"; shift 2 ;;
    --svg) SVG="$2"; shift 2 ;;
    --bundle) BUNDLE="$(cd "$2" && pwd)"; shift 2 ;;
    --uninstall) UNINSTALL=1; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "install-linux.sh: unknown option $1" >&2; usage >&2; exit 2 ;;
  esac
done

SIZES=(16 22 24 32 48 64 128 256 512)
installed=(
  "$PREFIX/applications/$APP_ID.desktop"
  "$PREFIX/metainfo/$APP_ID.metainfo.xml"
  "$PREFIX/mime/packages/$APP_ID.xml"
  "$PREFIX/icons/hicolor/scalable/apps/$APP_ID.svg"
)
for n in "${SIZES[@]}"; do installed+=("$PREFIX/icons/hicolor/${n}x${n}/apps/$APP_ID.png"); done

refresh_caches() {
  if command -v update-mime-database >/dev/null 2>&1; then
    update-mime-database "$PREFIX/mime"
  fi
  if command -v update-desktop-database >/dev/null 2>&1; then
    update-desktop-database -q "$PREFIX/applications" || true
  fi
  if command -v gtk-update-icon-cache >/dev/null 2>&1; then
    gtk-update-icon-cache -q -f -t "$PREFIX/icons/hicolor" || true
  fi
}

if [ "$UNINSTALL" = 1 ]; then
  rm -f "${installed[@]}"
  refresh_caches
  echo "removed PaintAssist's desktop entry, icons, metainfo and MIME type from $PREFIX"
  exit 0
fi

if [ -n "$BUNDLE" ]; then
  launcher="$BUNDLE/paintassist-gui"
  [ -x "$launcher" ] || { echo "install-linux.sh: $launcher: not an executable bundle launcher" >&2; exit 2; }
  # The bundle carries its own copy of the icon source.
  [ -f "$SVG" ] || SVG="$BUNDLE/_internal/paintassist/_data/resources/icons/paintassist.svg"
else
  launcher="paintassist-gui"
  command -v paintassist-gui >/dev/null 2>&1 ||
    echo "install-linux.sh: warning: paintassist-gui is not on PATH; the menu entry will not start" \
      "until it is (pip install paintassist, or use --bundle DIR)" >&2
fi

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
bash "$HERE/make_icons.sh" "$SVG" "$tmp/icons" >/dev/null

mkdir -p "$PREFIX/applications" "$PREFIX/metainfo" "$PREFIX/mime/packages" "$PREFIX/icons"
cp -r "$tmp/icons/hicolor" "$PREFIX/icons/"
# Desktop entries split Exec on spaces: quote the launcher path.
sed -e "s|^Exec=.*|Exec=\"$launcher\" %F|" -e "s|^TryExec=.*|TryExec=$launcher|" \
  "$HERE/linux/$APP_ID.desktop" > "$PREFIX/applications/$APP_ID.desktop"
cp "$HERE/linux/$APP_ID.metainfo.xml" "$PREFIX/metainfo/$APP_ID.metainfo.xml"
cp "$HERE/linux/$APP_ID.mime.xml" "$PREFIX/mime/packages/$APP_ID.xml"
refresh_caches
echo "installed PaintAssist ($launcher) into $PREFIX: desktop entry, ${#SIZES[@]} icon sizes + SVG," \
  "metainfo, MIME type application/x-paintassist-project (*.paintassist)"
