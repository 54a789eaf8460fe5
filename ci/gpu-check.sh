#!/usr/bin/env bash
# GPU check for a machine with an NVIDIA GPU and a pip PyTorch (no apt, no network needed):
# configure against that PyTorch's LibTorch with CUDA on, build, run `ctest -L gpu` (CPU-vs-GPU
# parity of the preprocessing kernel and of greedy decoding on the exported demo model), run the
# sample suite with that model on cuda:0, and print a throughput summary. Aim: under 8 minutes.
#
# C++ libraries the bare machine lacks (TBB, nlohmann-json, CLI11, GoogleTest, libpng, libjpeg,
# SentencePiece) can be unpacked Debian packages under $IMAXBENCH_DEPS_ROOT (default
# third_party_local/root, made with `apt-get download` + `dpkg -x` on a Debian 12 machine).
# DICOM, SQLite and HTTP are switched off here.
set -euo pipefail
cd "$(dirname "$0")/.."
start=$(date +%s)
step() { echo; echo "== [$(( $(date +%s) - start ))s] $*"; }

build_dir="${IMAXBENCH_GPU_BUILD_DIR:-build-gpu}"
deps="$(pwd)/${IMAXBENCH_DEPS_ROOT:-third_party_local/root}"
device="${IMAXBENCH_GPU_DEVICE:-cuda:0}"
out="${OUT:-out/gpu-check}"
mkdir -p "$out"

step "machine"
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader || true
grep PRETTY_NAME /etc/os-release || true
python3 -c 'import torch; print("torch", torch.__version__, "cuda", torch.version.cuda, "available", torch.cuda.is_available())'
torch_prefix=$(python3 -c 'import torch; print(torch.utils.cmake_prefix_path)')
export PATH="/usr/local/cuda/bin:$PATH"

prefix="$torch_prefix"
if [ -d "$deps/usr" ]; then
  prefix="$prefix;$deps/usr;$deps/usr/lib/x86_64-linux-gnu/cmake;$deps/usr/share/cmake"
  export LD_LIBRARY_PATH="$deps/usr/lib/x86_64-linux-gnu:${LD_LIBRARY_PATH:-}"
  export CPATH="$deps/usr/include:${CPATH:-}"
  export LIBRARY_PATH="$deps/usr/lib/x86_64-linux-gnu:${LIBRARY_PATH:-}"
fi

step "configure (LibTorch from $torch_prefix, CUDA on)"
cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=Release -DCMAKE_PREFIX_PATH="$prefix" \
  -DIMAXBENCH_WITH_CUDA=ON -DIMAXBENCH_WITH_HIP=OFF -DIMAXBENCH_WITH_DICOM=OFF \
  -DIMAXBENCH_WITH_SQLITE=OFF -DIMAXBENCH_WITH_HTTP=OFF -DIMAXBENCH_BUILD_BENCH=OFF \
  -DCMAKE_CUDA_COMPILER="$(command -v nvcc)" | grep -E "imaxbench|Torch|CUDA" || true

step "build"
cmake --build "$build_dir" -j"$(nproc)" 2>&1 | tail -3

step "export the demo model with this PyTorch"
model_dir="$build_dir/demo-model"
python3 models/export_demo_vlm.py --out "$model_dir"
export IMAXBENCH_TEST_MODEL_DIR="$(pwd)/$model_dir"

step "ctest -L gpu"
ctest --test-dir "$build_dir" -L gpu --output-on-failure 2>&1 | tee "$out/ctest-gpu.txt" | tail -25

step "sample suite with the demo model on $device"
"$build_dir/imaxbench" run --suite suites/sample/suite.json --backend torchscript --model "$model_dir" \
  --device "$device" --batch-size 16 --out "$out/run" --no-record 2>&1 | tail -16

step "throughput: profile offline and single-stream on $device"
for scenario in offline single-stream; do
  "$build_dir/imaxbench" profile --suite suites/sample/suite.json --backend torchscript --model "$model_dir" \
    --device "$device" --scenario "$scenario" --batch-size 16 --min-duration 10 --min-queries 64 \
    --out "$out/profile-$scenario" 2>&1 | tail -30
done

step "done"
