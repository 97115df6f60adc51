#!/usr/bin/env bash
# Installs what is missing, builds everything (preset "dev") and runs the whole test suite.
# Usage: scripts/test.sh [extra ctest arguments, e.g. -L quick]
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install-deps.sh
cmake --preset dev
cmake --build --preset dev
ctest --preset dev "$@"
