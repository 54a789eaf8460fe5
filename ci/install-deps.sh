#!/usr/bin/env bash
# Installs the Debian 12 packages imaxbench builds and tests with. Idempotent: installs only what
# is missing, and skips apt entirely when everything is present. Run as root (or with sudo).
set -euo pipefail

packages=(
  build-essential cmake ninja-build ccache pkg-config git python3 python3-venv
  nlohmann-json3-dev libcli11-dev libtbb-dev libgtest-dev libgmock-dev libbenchmark-dev
  libsimdjson-dev libssl-dev
  libpng-dev libjpeg-dev libsqlite3-dev libdcmtk-dev libcurl4-openssl-dev libsentencepiece-dev
  libtorch-dev python3-torch python3-jinja2 python3-jsonschema hipcc libopenblas0-pthread
  # tests/cli/cluster_*.sh: a real single-node Slurm cluster (ci/slurm-local.sh), mpirun, and the
  # Kubernetes Job check (docs/cluster/check_indexed_job.py).
  slurm-wlm munge openmpi-bin python3-yaml
)
# Extra groups a caller may ask for: IMAXBENCH_DEPS_EXTRA="browser java sanitize"
for extra in ${IMAXBENCH_DEPS_EXTRA:-}; do
  case "$extra" in
    browser) packages+=(chromium) ;;
    java) packages+=(default-jre-headless) ;;
    hip) packages+=(hipcc) ;;
    # ci/sanitize.sh: clang, its sanitizer and libFuzzer runtimes, llvm-symbolizer for stacks.
    sanitize) packages+=(clang-14 libclang-rt-14-dev llvm-14) ;;
    *) echo "install-deps: unknown extra group '$extra' (known: browser java hip sanitize)" >&2; exit 2 ;;
  esac
done

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages present"
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
echo "install-deps: installing ${missing[*]}"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "install-deps: done"
