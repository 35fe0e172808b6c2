#!/usr/bin/env bash
# Prepare the git-ignored inputs of scripts/gpu_train.sh on a CPU machine with internet (PyPI):
#   .whl/      Keras 3.15.1 + namex + optree wheels for CPython 3.12 on manylinux x86_64 (the GPU
#              machine has JAX but neither TensorFlow nor Keras); .whl/optional/ pillow and
#              typing_extensions, installed there only if missing.
#   .gpudata/  copies of ../shared/datasets/T91 and General100 (the GPU machine sees only the repo).
# Then run on the GPU machine:  bash scripts/gpu_train.sh   (carry .whl and .gpudata)
set -eu
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
SHARED=${SRLIB_SHARED_DATASETS:-../shared/datasets}
platforms=(--platform manylinux_2_28_x86_64 --platform manylinux_2_27_x86_64
           --platform manylinux_2_17_x86_64 --platform manylinux2014_x86_64)
$PY -m pip download -q --no-deps --only-binary=:all: --python-version 3.12 --implementation cp "${platforms[@]}" \
    -d .whl keras==3.15.1 namex optree
$PY -m pip download -q --no-deps --only-binary=:all: --python-version 3.12 --implementation cp "${platforms[@]}" \
    -d .whl/optional pillow typing_extensions
mkdir -p .gpudata
for name in T91 General100; do
    rm -rf ".gpudata/$name"
    cp -r "$SHARED/$name" ".gpudata/$name"
done
du -sh .whl .gpudata
