#!/usr/bin/env bash
# Installs every Debian package pulptrain needs (idempotent), then configures
# and builds the project in ./build with clang-22, lld and ninja.
#
#   scripts/setup.sh            install + configure + build
#   PULPTRAIN_BUILD_DIR=dir     build somewhere else
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${PULPTRAIN_BUILD_DIR:-$root/build}

packages=(
  # LLVM/MLIR 22 and the host toolchain.
  llvm-22-dev libmlir-22-dev mlir-22-tools llvm-22-tools clang-22 lld-22
  cmake ninja-build ccache libcli11-dev libgtest-dev
  # Golden models (used through /usr/bin/python3).
  python3-torch python3-numpy
  # RISC-V: independent references and libraries.
  qemu-user qemu-system-misc gcc-riscv64-unknown-elf picolibc-riscv64-unknown-elf
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}"
  sudo=""
  if [ "$(id -u)" != 0 ]; then sudo=sudo; fi
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get -o DPkg::Lock::Timeout=600 update -qq
  $sudo apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends \
    "${missing[@]}" >/dev/null
fi

jobs=${PULPTRAIN_JOBS:-$(nproc)}
if [ ! -f "$build/build.ninja" ]; then
  cmake -G Ninja -S "$root" -B "$build" \
    -DCMAKE_BUILD_TYPE=Release \
    -DCMAKE_C_COMPILER=clang-22 -DCMAKE_CXX_COMPILER=clang++-22 \
    -DLLVM_USE_LINKER=lld \
    -DMLIR_DIR=/usr/lib/llvm-22/lib/cmake/mlir
fi
cmake --build "$build" -j "$jobs"
