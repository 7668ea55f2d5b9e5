#!/bin/bash
# GPU check of routesim's live path: run from the repository root on an NVIDIA machine.
#   NODE=/path/to/node OUT=/some/dir bash scripts/gpu-check.sh      (GPU=false gives a CPU baseline)
# Needs node >= 20 ($NODE, default `node`), node_modules with tsx and node-llama-cpp's linux-x64-cuda
# binaries; no npm, no network. When the staged parts of .tmp/cuda/README.txt are in /root/stage and
# node_modules is missing, they are assembled first (as .tmp/cuda/scripts/run.sh does).
set -u
OUT=${OUT:-reports/gpu-check}
mkdir -p "$OUT"
S=/root/stage
if [ -d "$S" ]; then
  NV=$(python3 -c 'import nvidia,os;print(os.path.dirname(nvidia.__path__[0]))' 2>/dev/null)/nvidia
  export LD_LIBRARY_PATH=$S:/usr/local/cuda/lib64:$NV/cu13/lib:$NV/cublas/lib:$NV/cuda_runtime/lib:${LD_LIBRARY_PATH:-}
  Z=$S/zstd; command -v zstd >/dev/null && Z=zstd
  if [ -z "${NODE:-}" ] && { ! command -v node >/dev/null || [ "$(node -p 'process.versions.node.split(".")[0]')" -lt 20 ]; }; then
    $Z -d -q -f $S/node.zst -o /usr/local/bin/node && chmod +x /usr/local/bin/node
  fi
  if [ ! -d node_modules/node-llama-cpp ]; then $Z -d -q -c $S/nm.tar.zst | tar -xf - || exit 1; fi
  L=node_modules/@node-llama-cpp/linux-x64-cuda/bins/linux-x64-cuda/libggml-cuda.so
  if [ ! -f $L ] && [ -f $S/part.aa ]; then cat $S/part.aa $S/part.ab | $Z -d -q -o $L || exit 1; fi
fi
NODE=${NODE:-node}
"$NODE" --version || { echo "no node: set NODE to a node >= 20 binary"; exit 1; }
command -v nvidia-smi >/dev/null && nvidia-smi --query-gpu=name,memory.used,memory.total --format=csv
(sleep 45; command -v nvidia-smi >/dev/null && nvidia-smi --query-gpu=name,memory.used,utilization.gpu --format=csv > "$OUT/smi-during.txt") &
OUT=$OUT timeout 480 "$NODE" --import tsx scripts/gpu-check.mts 2>&1 | tee "$OUT/log.txt"
exit "${PIPESTATUS[0]}"
