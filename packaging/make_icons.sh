#!/usr/bin/env bash
# Render the app icon set from the SVG source into a hicolor icon-theme tree.
#
#   bash packaging/make_icons.sh [SVG] [OUT]
#
# SVG defaults to resources/icons/paintassist.svg, OUT to build/icons. Writes
#   OUT/hicolor/NxN/apps/io.github.paintassist.PaintAssist.png   for N in 16 22 24 32 48 64 128 256 512
#   OUT/hicolor/scalable/apps/io.github.paintassist.PaintAssist.svg
# Needs rsvg-convert (Debian: librsvg2-bin). The PNGs are build products: they are not committed.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
APP_ID="io.github.paintassist.PaintAssist"
SVG="${1:-$ROOT/resources/icons/paintassist.svg}"
OUT="${2:-$ROOT/build/icons}"
SIZES=(16 22 24 32 48 64 128 256 512)

if [ ! -f "$SVG" ]; then
  echo "make_icons.sh: $SVG: icon source not found (the app icon is resources/icons/paintassist.svg)" >&2
  exit 2
fi
if ! command -v rsvg-convert >/dev/null 2>&1; then
  echo "make_icons.sh: rsvg-convert not found; install it (Debian/Ubuntu: apt-get install librsvg2-bin)" >&2
  exit 2
fi

for n in "${SIZES[@]}"; do
  dir="$OUT/hicolor/${n}x${n}/apps"
  mkdir -p "$dir"
  rsvg-convert --width "$n" --height "$n" --keep-aspect-ratio --format png \
    --output "$dir/$APP_ID.png" "$SVG"
done
mkdir -p "$OUT/hicolor/scalable/apps"
cp "$SVG" "$OUT/hicolor/scalable/apps/$APP_ID.svg"
echo "icons: ${#SIZES[@]} PNG sizes (${SIZES[0]}..${SIZES[-1]} px) + scalable SVG in $OUT/hicolor"
