#!/usr/bin/env bash
# Installs what is missing, builds (preset "release") and opens NetSpatial Studio.
# Usage: scripts/studio.sh [raster or vector files to open]
# Without a display it runs the window under Xvfb, saves a screenshot and says where.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install-deps.sh
cmake --preset release
cmake --build --preset release --target netspatial-studio netspatial netspatial-bench
studio=build/release/app/studio/netspatial-studio

# Without files the studio opens its demo city (simulated on first start, then cached).
args=("$@")

if [ -n "${DISPLAY:-}" ] || [ -n "${WAYLAND_DISPLAY:-}" ]; then
  exec "$studio" ${args[@]+"${args[@]}"}
fi
shot="$PWD/build/release/netspatial-studio.png"
echo "studio: no display; running under Xvfb and saving a screenshot to $shot"
xvfb-run -a -s "-screen 0 1280x800x24" "$studio" --screenshot "$shot" ${args[@]+"${args[@]}"}
echo "studio: screenshot written to $shot"
