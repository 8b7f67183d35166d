#!/bin/bash
# Packs this machine's Chromium, its shared libraries and Node into .gpub/ (ignored by git) in
# three parts, each under the device tool's 64 MiB per call (see README.md beside this file).
set -euo pipefail
cd "$(git rev-parse --show-toplevel)"
grep -qx '/.gpub/' .git/info/exclude || echo '/.gpub/' >> .git/info/exclude
rm -rf .gpub /tmp/gpub-stage && mkdir -p .gpub/a .gpub/b .gpub/c/fonts .gpub/c/glvnd /tmp/gpub-stage/chr/locales /tmp/gpub-stage/libs
CHR=/usr/lib/chromium
# The browser binary alone is 77 MB compressed: it is split across calls a and b.
xz -T0 -6 -c $CHR/chromium | split -b 60000000 - /tmp/gpub-stage/part.
mv /tmp/gpub-stage/part.aa .gpub/a/ && mv /tmp/gpub-stage/part.ab .gpub/b/
(cd $CHR && cp chrome_100_percent.pak chrome_200_percent.pak icudtl.dat libEGL.so libGLESv2.so libvulkan.so.1 libvk_swiftshader.so vk_swiftshader_icd.json resources.pak snapshot_blob.bin v8_context_snapshot.bin chrome_crashpad_handler /tmp/gpub-stage/chr/ && cp locales/en-US.pak /tmp/gpub-stage/chr/locales/)
# Every library the browser links, except glibc's own (the GPU machine's glibc is newer).
for lib in $(ldd $CHR/chromium | awk '{print $3}' | grep '^/' | sort -u); do
  case $(basename "$lib") in libc.so*|libm.so*|libdl.so*|libpthread.so*|librt.so*|ld-linux*) ;; *) cp -L "$lib" /tmp/gpub-stage/libs/ ;; esac
done
tar -C /tmp/gpub-stage -cf - chr libs | xz -T0 -6 > .gpub/b/chrlibs.txz
xz -T0 -6 -c "$(command -v node)" > .gpub/c/node.xz
# NVIDIA's Vulkan driver needs glvnd's dispatcher; Chromium aborts without a single font.
for l in libGLdispatch.so.0 libGLX.so.0 libEGL.so.1 libOpenGL.so.0; do cp -L /usr/lib/x86_64-linux-gnu/$l .gpub/c/glvnd/; done
cp /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf .gpub/c/fonts/
du -sh .gpub/*
