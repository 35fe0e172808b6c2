#!/usr/bin/env bash
# Train the 9 shipped models (srcnn / fsrcnn / espcn x 2, 3, 4) concurrently on ONE GPU.
#
# Made for the lent GPU machine (Python 3.12 + JAX + CUDA, no TensorFlow, no Keras): Keras
# and its two missing pure dependencies come from wheels in .whl/ (see below), the HR images
# from .gpudata/ (copies of ../shared/datasets/T91 and General100), both git-ignored and
# carried with the working tree. Each run is `python3 -m srlib train ...` on the JAX backend
# with the NumPy/PyDataset pipeline and a wall-clock budget (--max-minutes); weights, logs
# and model cards of all runs are packed into ONE file, $OUT/results.tar.gz.
#
# Prepare (on the CPU machine, once):
#   python3 -m pip download --no-deps --only-binary=:all: --python-version 3.12 --implementation cp \
#     --platform manylinux_2_28_x86_64 --platform manylinux_2_17_x86_64 -d .whl keras==3.15.1 namex optree
#   (optional, installed only when missing there: pillow, typing_extensions into .whl/optional)
#   mkdir -p .gpudata && cp -r ../shared/datasets/T91 ../shared/datasets/General100 .gpudata/
# Run (device): bash scripts/gpu_train.sh          (OUT defaults to /tmp/srlib_gpu_out)
# Knobs: SRLIB_GPU_MINUTES (training budget per run, default 7), SRLIB_GPU_HARD_S (hard kill per
# run, default 510), SRLIB_GPU_STEPS, SRLIB_GPU_VAL_EVERY, SRLIB_GPU_MODELS, SRLIB_GPU_SCALES,
# SRLIB_SKIP_WHEELS=1 (use the current environment's Keras: local tests), SRLIB_WHEELS (default .whl),
# SRLIB_SITE (default /tmp/site), PYTHON (default python3), SRLIB_DATA (default .gpudata),
# SRLIB_GPU_LR (override every run's learning rate), SRLIB_GPU_INIT (folder of weights to fine-tune from).
set -u
cd "$(dirname "$0")/.."
ROOT=$PWD
PY=${PYTHON:-python3}
OUT=${OUT:-/tmp/srlib_gpu_out}
DATA=${SRLIB_DATA:-.gpudata}
MINUTES=${SRLIB_GPU_MINUTES:-7}
HARD_S=${SRLIB_GPU_HARD_S:-510}
STEPS=${SRLIB_GPU_STEPS:-1000000}
VAL_EVERY=${SRLIB_GPU_VAL_EVERY:-1000}
MODELS=${SRLIB_GPU_MODELS:-"srcnn fsrcnn espcn"}
SCALES=${SRLIB_GPU_SCALES:-"2 3 4"}
RUNS=${SRLIB_GPU_RUNS:-/tmp/srlib_gpu_runs}
WHEELS=${SRLIB_WHEELS:-$ROOT/.whl}
SITE=${SRLIB_SITE:-/tmp/site}
LR_OVERRIDE=${SRLIB_GPU_LR:-}        # e.g. 3e-4 for a fine-tuning round
INIT_DIR=${SRLIB_GPU_INIT:-}         # e.g. srlib/weights: continue from {model}_x{scale}.weights.h5
T0=$(date +%s)
mkdir -p "$OUT" "$RUNS"

# ---- Keras without TensorFlow ---------------------------------------------------------------
if [ -z "${SRLIB_SKIP_WHEELS:-}" ]; then
    wheels=("$WHEELS"/*.whl)
    $PY -c 'import PIL' 2>/dev/null || wheels+=("$WHEELS"/optional/pillow-*.whl)
    $PY -c 'import typing_extensions as t; assert hasattr(t, "TypeIs")' 2>/dev/null \
        || wheels+=("$WHEELS"/optional/typing_extensions-*.whl)
    # pip if it works, else unzip (a wheel is a zip archive of the installed files)
    $PY -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --upgrade --target "$SITE" "${wheels[@]}" \
        || $PY -c 'import sys, zipfile; [zipfile.ZipFile(w).extractall(sys.argv[1]) for w in sys.argv[2:]]' \
            "$SITE" "${wheels[@]}"
    export PYTHONPATH=$SITE:$ROOT
else
    export PYTHONPATH=$ROOT${PYTHONPATH:+:$PYTHONPATH}
fi
export KERAS_BACKEND=jax XLA_PYTHON_CLIENT_PREALLOCATE=false TF_CPP_MIN_LOG_LEVEL=2 PYTHONUNBUFFERED=1
export OMP_NUM_THREADS=${OMP_NUM_THREADS:-2}

$PY - <<'PY' 2>&1 | tee "$OUT/environment.txt"
import platform, os
import numpy, scipy, h5py, PIL, jax, keras
print("python", platform.python_version(), "| numpy", numpy.__version__, "| scipy", scipy.__version__,
      "| h5py", h5py.__version__, "| pillow", PIL.__version__, "| jax", jax.__version__,
      "| keras", keras.__version__, keras.backend.backend(), "from", keras.__file__)
print("devices:", jax.devices(), "| cpus:", os.cpu_count())
import srlib.training, srlib.models  # srlib imports without TensorFlow
PY
[ "${PIPESTATUS[0]}" = 0 ] || { echo "environment check failed"; exit 1; }

# ---- the 9 runs: data, patches, batch as the papers (Adam, cosine-decayed LR) -----------------
# srcnn: T91; fsrcnn: T91 + General100; espcn: T91. Patches larger than the papers' (SRCNN 33 HR,
# ESPCN 17 LR) because our convolutions use 'same' zero padding (no valid-only loss region) and
# a step costs about the same: SRCNN 48 HR pixels, FSRCNN/ESPCN 24 LR pixels.
# Validation: 5 training images held aside (seeded) - never Set5/Set14.
pids=()
for model in $MODELS; do
    for scale in $SCALES; do
        case $model in
            srcnn)  data="$DATA/T91";                    patch=48;              batch=128; lr=1e-3 ;;
            fsrcnn) data="$DATA/T91 $DATA/General100";   patch=$((24 * scale)); batch=128; lr=1e-3 ;;
            espcn)  data="$DATA/T91";                    patch=$((24 * scale)); batch=128; lr=1e-3 ;;
        esac
        [ -n "$LR_OVERRIDE" ] && lr=$LR_OVERRIDE
        init=()
        [ -n "$INIT_DIR" ] && init=(--init-weights "$INIT_DIR/${model}_x$scale.weights.h5")
        dir=$RUNS/${model}_x$scale
        rm -rf "$dir"; mkdir -p "$dir"
        # shellcheck disable=SC2086
        timeout -k 10 "$HARD_S" $PY -m srlib train "$model" --scale "$scale" --data $data \
            --steps "$STEPS" --out "$dir" --batch-size "$batch" --lr "$lr" --schedule cosine \
            --val-split 5 --val-every "$VAL_EVERY" --patch-size "$patch" --seed 0 \
            --max-minutes "$MINUTES" --workers 2 --verbose 2 "${init[@]}" > "$dir/train.log" 2>&1 &
        pids+=($!)
    done
done
status=0
for pid in "${pids[@]}"; do wait "$pid" || status=1; done

# ---- pack everything (the device returns a few files only) ----------------------------------
{
    echo "# GPU training summary ($(date -u +%FT%TZ)), total $(( $(date +%s) - T0 )) s"
    for dir in "$RUNS"/*_x*; do
        echo "## $(basename "$dir")"; tail -n 3 "$dir/train.log"
        echo "last log row (step,loss,val_psnr,bicubic_psnr,lr,elapsed): $(tail -n 1 "$dir"/*.log.csv 2>/dev/null)"
    done
} > "$OUT/summary.txt"
cp "$OUT/summary.txt" "$OUT/environment.txt" "$RUNS"/ 2>/dev/null
tar -czf "$OUT/results.tar.gz" -C "$RUNS" --exclude=training_state.npz .
cat "$OUT/summary.txt"
echo "results: $OUT/results.tar.gz ($(du -h "$OUT/results.tar.gz" | cut -f1)); exit status $status"
exit $status
