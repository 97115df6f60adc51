#!/usr/bin/env bash
# Installs every Debian 12 package NetSpatial Studio needs to build, test and run. Idempotent:
# installs only what is missing, and runs `apt-get update` only when something is.
set -euo pipefail

packages=(
  # toolchain
  g++ cmake ninja-build pkg-config git
  # the format check (tests: tst_format, scripts/format.sh)
  clang-format
  # Qt 6 widgets, plots
  qt6-base-dev qt6-base-dev-tools libgl-dev libqcustomplot-dev
  # geospatial: GDAL (rasters/vectors, + the gdal-bin tools the tests compare against) and PROJ
  libgdal-dev gdal-bin libproj-dev proj-bin proj-data
  # neural networks: Debian's LibTorch computes through the system BLAS, which must be OpenBLAS
  # (the reference BLAS is ~28x slower on matrix work)
  libtorch-dev libopenblas0-pthread
  # integer and linear programs (sleep scheduling, load balancing)
  libglpk-dev
  # training recipes (netspatial train) are TOML
  libtomlplusplus-dev
  # GUI tests and screenshots on machines without a display
  xvfb xauth x11-utils imagemagick fonts-dejavu-core
  # the PDF report tests read the report back with a real PDF reader (pdftotext, pdfinfo)
  poppler-utils
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if ((${#missing[@]})); then
  echo "install-deps: installing ${missing[*]}"
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
else
  echo "install-deps: all ${#packages[@]} packages present"
fi

# LibTorch must resolve libblas.so.3 to OpenBLAS, not the reference implementation.
blas=$(readlink -f /usr/lib/x86_64-linux-gnu/libblas.so.3 2>/dev/null || true)
case "$blas" in
  *openblas*) ;;
  *)
    echo "install-deps: libblas.so.3 resolves to '${blas:-nothing}', selecting OpenBLAS"
    sudo=""; if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
    $sudo update-alternatives --set libblas.so.3-x86_64-linux-gnu /usr/lib/x86_64-linux-gnu/openblas-pthread/libblas.so.3
    ;;
esac
