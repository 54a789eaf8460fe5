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
failed=()  # steps after the build that failed; the later ones still run (device time is scarce)

step "machine"
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader || true
grep PRETTY_NAME /etc/os-release || true
python3 -c 'import torch; print("torch", torch.__version__, "cuda", torch.version.cuda, "available", torch.cuda.is_available())'
torch_prefix=$(python3 -c 'import torch; print(torch.utils.cmake_prefix_path)')
export PATH="/usr/local/cuda/bin:$PATH"
# Build our kernel for this GPU (9.0 on H100/H200 -> 90); the CMake default 90 where unknown.
cuda_arch=$(nvidia-smi --query-gpu=compute_cap --format=csv,noheader 2>/dev/null | head -1 | tr -d ' .' || true)
[[ "$cuda_arch" =~ ^[0-9]+$ ]] || cuda_arch=90

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
  -DIMAXBENCH_CUDA_ARCHITECTURES="$cuda_arch" -DCMAKE_CUDA_COMPILER="$(command -v nvcc)" \
  > "$out/configure.txt" 2>&1 || { tail -40 "$out/configure.txt"; echo "configure failed"; exit 1; }
grep -E "imaxbench|Torch|CUDA|Warning|Error" "$out/configure.txt" || true
# Without these the GPU tests skip and "pass": a CPU-only LibTorch or a missing nvcc must stop here.
grep -q "LibTorch has CUDA" "$out/configure.txt" || { echo "configure: LibTorch has no c10_cuda (CPU-only build?)"; exit 1; }
grep -q "CUDA kernels on" "$out/configure.txt" || { echo "configure: CUDA kernels off"; exit 1; }

step "build"
if ! cmake --build "$build_dir" -j"$(nproc)" > "$out/build.txt" 2>&1; then
  grep -E -A12 "^FAILED|error:" "$out/build.txt" | head -60; tail -5 "$out/build.txt"; echo "build failed"; exit 1
fi
tail -2 "$out/build.txt"

step "export the demo model with this PyTorch"
model_dir="$build_dir/demo-model"
python3 models/export_demo_vlm.py --out "$model_dir"
export IMAXBENCH_TEST_MODEL_DIR="$(pwd)/$model_dir"

step "ctest -L gpu"
ctest --test-dir "$build_dir" -L gpu --output-on-failure > "$out/ctest-gpu.txt" 2>&1 || failed+=("ctest -L gpu")
tail -25 "$out/ctest-gpu.txt"
# On a GPU machine with this CUDA build every gpu test runs; a skip means LibTorch saw no GPU.
if grep -q "(Skipped)" "$out/ctest-gpu.txt"; then failed+=("ctest -L gpu: tests skipped"); fi

step "sample suite with the demo model on $device"
"$build_dir/imaxbench" run --suite suites/sample/suite.json --backend torchscript --model "$model_dir" \
  --device "$device" --batch-size 16 --out "$out/run" --no-record > "$out/run.txt" 2>&1 || failed+=("run")
tail -16 "$out/run.txt"

step "throughput: profile offline and single-stream on $device"
for scenario in offline single-stream; do
  batch=(--batch-size 16)
  [ "$scenario" = single-stream ] && batch=()  # it sends one request at a time and refuses the flag
  "$build_dir/imaxbench" profile --suite suites/sample/suite.json --backend torchscript --model "$model_dir" \
    --device "$device" --scenario "$scenario" "${batch[@]}" --min-duration 10 --min-queries 64 \
    --out "$out/profile-$scenario" > "$out/profile-$scenario.txt" 2>&1 || failed+=("profile $scenario")
  tail -30 "$out/profile-$scenario.txt"
done

step "done"
if [ ${#failed[@]} -gt 0 ]; then printf 'FAILED: %s\n' "${failed[@]}"; exit 1; fi
