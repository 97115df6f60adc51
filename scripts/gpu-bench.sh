#!/usr/bin/env bash
# The GPU figures of issue 21, in one command on a machine with a CUDA GPU and a Python torch with
# CUDA (Debian's LibTorch is CPU-only): builds the models-only configuration (netspatial_models and
# netspatial-bench, nothing else) against that torch's LibTorch, then prints
#   - the benchmark table on CPU and CUDA (--device all): matmul peaks, every embedded NetSpatial
#     model's latency, 900-site AOI time, sequences/s and share of the peak, and the largest
#     difference between CUDA and CPU outputs for the same weights and noise;
#   - CUDA sequences/s at batch sizes of 1,024 to 65,536 sites (x 8 samples).
# Usage: scripts/gpu-bench.sh [BUILD_DIR]        (default build/cuda; log in BUILD_DIR/gpu-bench.log)
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build/cuda}
prefix=$(python3 -c 'import torch; print(torch.utils.cmake_prefix_path)')
python3 -c 'import torch, sys; sys.exit(0 if torch.cuda.is_available() else "gpu-bench: this torch sees no CUDA device")'
generator=()
command -v ninja >/dev/null && generator=(-G Ninja)
cmake -S . -B "$build" "${generator[@]}" -DCMAKE_BUILD_TYPE=Release -DNETSPATIAL_MODELS_ONLY=ON -DCMAKE_PREFIX_PATH="$prefix" >/dev/null
cmake --build "$build" --target netspatial-bench -j "$(nproc)"
bench=$build/app/bench/netspatial-bench
mkdir -p "$build"
exec > >(tee "$build/gpu-bench.log") 2>&1
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader || true
"$bench" --device all --benchmarks matmul,netspatial --sizes 1024,4096,8192 --json "$build/gpu-bench.json"
echo
printf '%-12s %14s\n' batch_sites sequences/s
for sites in 1024 4096 16384 65536; do
  rate=$("$bench" --device cuda --benchmarks netspatial --sites "$sites" --netspatial resources/models/netspatial.nsm \
    | grep -E '^netspatial +cuda' | awk '{print $(NF-4)}')
  printf '%-12s %14s\n' "$sites" "$rate"
done
