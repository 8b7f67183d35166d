#!/bin/bash
# Runs on the GPU machine (third call, see README.md): unpacks Node, finds the NVIDIA Vulkan
# driver, serves dist/ with COOP/COEP, checks which Chromium flags give a real GPU, then runs
# scripts/bench.mjs with them (BENCH=scripts/bench-generative.mjs runs that one instead).
# Arguments go to the bench. $OUT gets the logs.
G=${G:-/tmp/gb}
OUT=${OUT:-/tmp}
HERE=scripts/gpu-machine
mkdir -p $G && xz -dc .gpub/c/node.xz > $G/node && chmod +x $G/node
[ -x $G/chr/chromium ] || { echo "chromium missing: run the first two calls first"; exit 3; }
ICD=$(find /usr/local/nvidia /usr/share/vulkan /etc/vulkan -name 'nvidia_icd*.json' 2>/dev/null | head -1)
NVSO=$(find /usr/local/nvidia /usr/lib /usr/lib64 -name 'libGLX_nvidia.so.0' 2>/dev/null | head -1)
echo "Vulkan driver manifest: ${ICD:-none}; driver library: ${NVSO:-none}"
export LD_LIBRARY_PATH=$G/libs${NVSO:+:$(dirname $NVSO)}:$PWD/.gpub/c/glvnd
sed "s#FONTDIR#$PWD/.gpub/c/fonts#" $HERE/fonts.conf > /tmp/fonts.conf
export FONTCONFIG_FILE=/tmp/fonts.conf
VK_DRIVER_FILES=$ICD python3 $HERE/vkcheck.py $G/chr/libvulkan.so.1 | cut -c1-200
export VK_DRIVER_FILES=$ICD VK_ICD_FILENAMES=$ICD CHROME_PATH=$G/chr/chromium
nvidia-smi -L 2>&1 | head -2
python3 $HERE/serve.py dist 8089 & SRV=$!
sleep 1
B="$G/node scripts/bench.mjs --url=http://127.0.0.1:8089/ --gpu"
CHOSEN=""
i=0
for extra in "" "--use-angle=gl" "--use-gl=egl"; do
  i=$((i+1))
  echo "== probe $i with flags '$extra'"
  DEBUG=pw:browser CHROME_EXTRA_ARGS="--disable-dev-shm-usage --enable-logging=stderr $extra" timeout 90 $B --backends=auto --batches=64 --seconds=3 --no-epoch --no-single > $OUT/probe$i.log 2>&1
  grep -a '^{' $OUT/probe$i.log
  if grep -aqiE '"webgl":"[^"]*nvidia|"webgpu":"[^"]*nvidia' $OUT/probe$i.log; then CHOSEN="$extra"; break; fi
done
echo "== bench with flags '$CHOSEN'"
CHROME_EXTRA_ARGS="--disable-dev-shm-usage $CHOSEN" $G/node ${BENCH:-scripts/bench.mjs} --url=http://127.0.0.1:8089/ --gpu "$@" 2>&1 | tee $OUT/bench.log
kill $SRV
