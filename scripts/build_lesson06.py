"""Write ``notebooks/06_degradations_and_augmentation.ipynb`` (without outputs) from the cells below.

The lesson is edited here and regenerated with ``python scripts/build_lesson06.py``; the
committed notebook is this script's output (``tests/test_repo_hygiene.py`` checks that notebooks
carry no outputs).
"""
from __future__ import annotations

import json
from pathlib import Path

CELLS: list[tuple[str, str]] = []


def md(text: str) -> None:
    CELLS.append(("markdown", text.strip("\n")))


def code(text: str, tags: list[str] | None = None) -> None:
    CELLS.append(("code" if not tags else "code:" + ",".join(tags), text.strip("\n")))


md(r"""
# 06 · Real-world degradations and augmentation: a blind model

Every model so far learned one mapping: from the protocol's **clean bicubic** LR image back to the
HR image. Real low-resolution images are not made that way. A satellite or phone image is
**blurred** by optics and motion, **noisy** from the sensor, **resized** by software and
**JPEG-compressed**, often more than once. A network trained on clean bicubic LR has never seen any
of that, and what it learned - "sharpen every edge the LR hints at" - sharpens the noise and the
JPEG blocks too.

This lesson starts the course's third strategy, **augmentation designed for resolution**: make the
training LR images as varied as real ones, keep every training pair aligned, and do the same for
the classifier of lesson 07.

**Objectives.** After this lesson you can

1. show, with a measurement, what a clean-trained model does to a blurred, noisy, compressed image;
2. build the degradation model step by step - blur kernels (and their spectra), resizing, Gaussian
   and Poisson noise, JPEG - with `srlib.data`, each step seeded;
3. explain Real-ESRGAN's **second-order** pipeline and BSRGAN's shuffle, and read a drawn plan;
4. augment (LR, HR) pairs without breaking them, and measure what breaks a pair;
5. train a **blind** model with `python -m srlib train --degradation realesrgan`, and evaluate it on
   three settings: the clean protocol, a **degraded benchmark**, and real low-quality images with
   no ground truth;
6. make the classifier's training images degradation-aware (`data.random_degrade_and_expand`).

**Estimated time:** 60 minutes (workshop mode: a few minutes of computing, most of it the live
blind training in section 5). Quick mode (`SRLIB_QUICK=1`, the tests) uses smaller crops, fewer
random draws and a live run of a few steps that shows only that the code runs. Every number about
the shipped models comes from committed benchmark files and is the same in both modes.
""")

code(r'''
# Parameters (tagged "parameters"): SRLIB_QUICK=1 shrinks images, draws and the live run for the tests.
import srlib.course

info = srlib.course.setup(seed=42)
SCALE = 4                                   # the shipped blind model is x4
CROP = srlib.course.pick(128, 256)          # side of the lesson's test images (HR pixels)
DRAWS = srlib.course.pick(4, 8)             # random degradations shown per pipeline
LIVE_STEPS = srlib.course.pick(4, 300)      # steps of the live blind training
''', tags=["parameters"])

code(r'''
%matplotlib inline
import io
import json
import logging
import tempfile
from pathlib import Path

import keras
import matplotlib.pyplot as plt
import numpy as np
from PIL import Image

import srlib
from srlib import data, images, metrics, plots, pretrained, training
from srlib.data import eurosat
from srlib.widgets import degradation_explorer
from srlib.exercises import lesson06 as ex

logging.getLogger("tensorflow").setLevel(logging.ERROR)
print("Keras", keras.__version__, "on backend", keras.backend.backend())
srcnn = pretrained.load("srcnn", SCALE)            # lesson 03's model, trained on clean bicubic LR
clean_model = pretrained.load("srresnet", SCALE)   # lesson 05's SRResNet (L1), trained on clean bicubic LR
blind = pretrained.load("srresnet_blind", SCALE)   # the same network fine-tuned on Real-ESRGAN degradations
lesson_images = {name: images.modcrop(image, SCALE)
                 for name, image in data.default_images(size=CROP, names=data.DEFAULT_VALIDATION).items()}
print({name: image.shape for name, image in lesson_images.items()})
''')

md(r"""
## 1. A clean-trained model on a real-world image

The same HR photograph, made into an LR image twice: by the protocol (MATLAB bicubic, lesson 02)
and by a mild real-world chain - Gaussian blur (σ = 1 HR pixel), bicubic downscaling, noise
(σ = 8 grey levels), JPEG at quality 40 (`data.degrade`, seeded). Then both through bicubic and
through the shipped SRCNN and SRResNet, which were trained on the first kind only.
""")

code(r'''
hr = lesson_images["grace_hopper"]
clean_lr = data.make_lr(hr, SCALE)
real_lr = data.degrade(hr, SCALE, blur_sigma=1.0, noise_sigma=8, jpeg_quality=40, seed=0)
panels, gains = {"ground truth": hr}, {}
for lr_name, lr in (("clean LR", clean_lr), ("real-world LR", real_lr)):
    base = metrics.psnr(hr, srlib.upscale("bicubic", lr, SCALE), border=SCALE)
    for name, method in (("bicubic", "bicubic"), ("SRCNN", srcnn), ("SRResNet", clean_model)):
        sr = srlib.upscale(method, lr, SCALE)
        panels[f"{name}, {lr_name}"] = sr
        gains[(name, lr_name)] = metrics.psnr(hr, sr, border=SCALE) - base
for (name, lr_name), gain in gains.items():
    if name != "bicubic":
        print(f"{name:8s} on {lr_name:13s}: {gain:+.2f} dB over bicubic")
zoom = (CROP * 3 // 8, CROP * 3 // 8, CROP // 4, CROP // 4)
plots.compare(panels, reference=hr, border=SCALE, zoom=zoom, ncols=4,
              title="x4: the same models on clean and on real-world LR (PSNR / SSIM under each panel)")
''')

md(r"""
On the clean LR the networks beat bicubic by a decibel or more. On the real-world LR the gain
shrinks to about nothing: what they learned to restore is not what is missing here, and the
blur, noise and JPEG blocks of the input come out as crisp as the edges. A measurement makes the
noise part precise: feed a flat grey image with noise added to its LR, and measure how much noise
comes out.
""")

code(r'''
flat = np.full((CROP, CROP, 3), 128, np.uint8)
noisy_lr = data.add_noise(data.make_lr(flat, SCALE), 8, grey=True, seed=1)   # sigma 8 in the LR
print(f"noise in the LR:             std {noisy_lr.std():5.2f} grey levels")
noise_out = {}
for name, method in (("bicubic", "bicubic"), ("SRCNN", srcnn), ("SRResNet (clean)", clean_model),
                     ("SRResNet (blind)", blind)):
    out = srlib.upscale(method, noisy_lr, SCALE)[SCALE:-SCALE, SCALE:-SCALE].astype(float)
    noise_out[name] = float(out.std())
    print(f"noise after {name:17s} std {noise_out[name]:5.2f} grey levels")
assert noise_out["SRCNN"] > noise_out["bicubic"] and noise_out["SRResNet (clean)"] > noise_out["bicubic"]
assert noise_out["SRResNet (blind)"] < noise_out["bicubic"]
''')

md(r"""
Bicubic upscaling smooths the noise (its kernel averages neighbours). The clean-trained networks
**amplify** it: to them, a noisy pixel is detail to sharpen. The blind model of section 6, which
saw noise in training, removes most of it. That is the whole lesson in four numbers; the rest
explains how to build such a model and how to check it honestly.

## 2. The degradation model, step by step

The classical model of the SR literature (Elad and Feuer, 1997; Zhang et al.'s SRMD, 2018) is

`LR = JPEG( downscale( HR ⊗ k ) + n )`

a blur kernel `k`, downscaling, additive noise `n`, JPEG. `srlib.data` has each step as a
deterministic function and a `random_*` twin that draws the parameters from an explicit
`numpy.random.Generator` (the shape of BasicSR's `degradations.py`).

### Blur kernels

Real-ESRGAN draws from six families: isotropic and anisotropic **Gaussians**, **generalized**
Gaussians (`exp(-(d^T C^-1 d)^β / 2)`: β < 1 heavier tails, β > 1 flatter top), **plateau**
kernels (`1 / (1 + (d^T C^-1 d)^β)`), and a **sinc** filter, an ideal low-pass that rings. Below,
each kernel and its **spectrum** (what it does to each spatial frequency: 1 = kept, 0 = removed).
""")

code(r'''
kernels = {
    "Gaussian, iso σ 2": data.gaussian_kernel(21, 2.0),
    "Gaussian, aniso 3 / 0.8, 30°": data.gaussian_kernel(21, 3.0, 0.8, np.pi / 6),
    "generalized, β 0.5": data.generalized_gaussian_kernel(21, 2.0, beta=0.5),
    "generalized, β 4": data.generalized_gaussian_kernel(21, 2.0, beta=4.0),
    "plateau, β 2": data.plateau_kernel(21, 2.0, beta=2.0),
    "sinc, cut-off π/3": data.sinc_kernel(21, np.pi / 3),
}
for name, kernel in kernels.items():
    assert abs(kernel.sum() - 1) < 1e-9            # every kernel keeps the mean brightness
figure, axes = plt.subplots(2, len(kernels), figsize=(2.1 * len(kernels), 4.3), layout="constrained")
for column, (name, kernel) in enumerate(kernels.items()):
    axes[0, column].imshow(kernel, cmap="magma")
    axes[0, column].set_title(name, fontsize=8)
    response = np.abs(np.fft.fftshift(np.fft.fft2(kernel, s=(128, 128))))   # kernel padded to 128 x 128
    shown = axes[1, column].imshow(response, cmap="viridis", vmin=0, vmax=1, extent=(-0.5, 0.5, 0.5, -0.5))
    axes[1, column].set_xlabel("cycles / pixel", fontsize=7)
for ax in axes.ravel():
    ax.tick_params(labelsize=6)
axes[0, 0].set_ylabel("kernel (21 x 21)", fontsize=8)
axes[1, 0].set_ylabel("|frequency response|", fontsize=8)
figure.colorbar(shown, ax=axes[1, :], shrink=0.8, label="kept fraction")
figure.suptitle("blur kernels (top) and what they keep of each frequency (bottom)", fontsize=10)
plt.show()
''')

md(r"""
The anisotropic kernel removes detail across its long axis and keeps it along the short one - a
motion blur, roughly. The sinc's spectrum is a sharp-edged disc: it keeps everything below its
cut-off and nothing above, and that hard edge is what makes the *ringing* (halos beside edges) of
over-sharpened and resized images. A model trained with sinc kernels learns to remove ringing.

A kernel's covariance is the blur's size and direction; `data.kernel_covariance` measures it from
the sampled kernel, which is how the library's tests check every random draw:
""")

code(r'''
rotation = np.array([[np.cos(np.pi / 6), -np.sin(np.pi / 6)], [np.sin(np.pi / 6), np.cos(np.pi / 6)]])
requested = rotation @ np.diag([3.0 ** 2, 0.8 ** 2]) @ rotation.T          # R diag(σx², σy²) Rᵀ, (x, y) order
mean, covariance = data.kernel_covariance(kernels["Gaussian, aniso 3 / 0.8, 30°"])
print("requested covariance:\n", requested.round(3), "\nmeasured from the 21 x 21 kernel:\n", covariance.round(3))
assert np.allclose(covariance, requested, atol=0.05)
''')

md(r"""
### Resizing, noise and JPEG

After the blur, the image is resized (Real-ESRGAN picks area, bilinear or bicubic at random, up or
down), then noise is added. **Gaussian** noise has the same σ everywhere; **Poisson** (shot) noise,
from counting photons, grows with the brightness: σ ∝ √signal. And JPEG throws away what its 8×8
DCT blocks quantise most, which shows as blocks and as ringing beside edges.
""")

code(r'''
ramp = np.tile(np.linspace(10, 245, CROP)[None, :, None], (CROP, 1, 3)).round().astype(np.uint8)  # dark -> bright
gauss = data.add_noise(ramp, 10, grey=True, seed=2).astype(float) - ramp
poisson = data.add_poisson_noise(ramp, 1.0, grey=True, seed=2).astype(float) - ramp
dark, bright = slice(0, CROP // 4), slice(3 * CROP // 4, CROP)
for name, noise in (("Gaussian σ 10", gauss), ("Poisson (scale 1)", poisson)):
    print(f"{name:18s} measured σ: dark quarter {noise[:, dark].std():5.2f}, bright quarter {noise[:, bright].std():5.2f}")
assert abs(gauss[:, dark].std() - gauss[:, bright].std()) < 1.0          # Gaussian: the same everywhere
assert poisson[:, bright].std() > 1.5 * poisson[:, dark].std()           # Poisson: grows with the signal

photo = lesson_images["chelsea"]
sizes, jpegs = {}, {}
for quality in (95, 60, 30, 10):
    buffer = io.BytesIO()
    Image.fromarray(photo).save(buffer, format="JPEG", quality=quality)
    sizes[quality] = buffer.tell()
    jpegs[f"JPEG q{quality}: {sizes[quality] / 1024:.1f} KiB"] = data.jpeg(photo, quality)
assert sizes[95] > sizes[60] > sizes[30] > sizes[10]                      # lower quality, smaller file
plots.compare({"original (PNG)": photo, **jpegs}, reference=photo, zoom=(CROP // 3, CROP // 3, CROP // 5, CROP // 5),
              ncols=5, title="JPEG: smaller files, blocks and ringing (PSNR / SSIM to the original)")
''')

md(r"""
## 3. The second-order pipeline

One pass of blur → resize → noise → JPEG still misses what real images go through: a photo is
taken, edited, compressed, re-uploaded, compressed again. Real-ESRGAN (Wang et al., ICCVW 2021)
runs the chain **twice**, each round with its own random parameters, then a final resize to the
LR size and a sinc filter and JPEG in random order. BSRGAN (Zhang et al., ICCV 2021) instead
**shuffles** the order of its steps. In `srlib.data` each pipeline is a small frozen dataclass
holding its ranges (the published ones by default). Calling it is two public steps: `draw` the
**plan** - every random parameter, as plain JSON - then `apply` it. So you can read what was drawn:
""")

code(r'''
pipeline = data.RealESRGANDegradation()
rng = np.random.default_rng(7)
plan = pipeline.draw(rng, hr.shape, SCALE)
for step in plan:
    details = {key: (round(value, 3) if isinstance(value, float) else value) for key, value in step.items()
               if key != "op" and key != "kernel"}
    kernel = step.get("kernel")
    if kernel:
        details["kernel"] = {key: (round(value, 2) if isinstance(value, float) else value)
                             for key, value in kernel.items() if key != "pad_to"}
    print(f"{step['op']:15s} {details}")
lr_drawn = pipeline.apply(hr, SCALE, plan, rng)
print("LR:", lr_drawn.shape, lr_drawn.dtype)
''')

md(r"""
The same HR crop through each pipeline, a few random draws each (LR images, enlarged with nearest
neighbour so you see their pixels). The classical chain (one round, Gaussian blur) is the mildest;
Real-ESRGAN's ranges go up to heavy noise and quality-30 JPEG on purpose: a blind model must cover
the worst images it will meet.
""")

code(r'''
crop = hr[:CROP // 2 // SCALE * SCALE, :CROP // 2 // SCALE * SCALE]
rows = {name: [data.get_degradation(name)(crop, SCALE, seed) for seed in range(DRAWS)]
        for name in ("classical", "realesrgan", "bsrgan")}
figure, axes = plt.subplots(len(rows), DRAWS + 1, figsize=(1.45 * (DRAWS + 1), 1.6 * len(rows)), layout="constrained")
for row, (name, lrs) in enumerate(rows.items()):
    axes[row, 0].imshow(crop)
    axes[row, 0].set_title("HR" if row == 0 else "", fontsize=8)
    axes[row, 0].set_ylabel(name, fontsize=9)
    for column, lr in enumerate(lrs):
        axes[row, column + 1].imshow(lr, interpolation="nearest")
        axes[row, column + 1].set_title(f"draw {column}", fontsize=7)
for ax in axes.ravel():
    ax.set_xticks([]); ax.set_yticks([])
figure.suptitle(f"random degradations of one HR crop, x{SCALE} (each LR enlarged, nearest)", fontsize=10)
plt.show()
same = data.get_degradation("realesrgan")(crop, SCALE, 3)
assert np.array_equal(same, rows["realesrgan"][3])            # the same seed gives the same image, everywhere
''')

md(r"""
**Check your understanding (c1).**
Why does Real-ESRGAN run the blur → resize → noise → JPEG chain **twice**?

- **a** to make the LR image smaller than one round could
- **b** so that the steps come in a random order
- **c** real images are often degraded several times (camera, editing, compression, re-upload), and
  one round cannot make combinations such as blurred JPEG blocks or resized noise
- **d** it is a known bug of the official code, kept for compatibility
""")

code(r'''
answer = ...  # "a", "b", "c" or "d"
ex.c1.check(answer)
# ex.c1.hint()      # uncomment for a hint
# ex.c1.solution()  # uncomment to see the answer
''')

md(r"""
## 4. Paired augmentation, and what breaks a pair

An SR training sample is a **pair**: an LR patch and the HR patch it came from. Any augmentation
must treat both halves alike. The safe ones (`srlib.data.transforms`): crops aligned to the scale
(an LR crop at `(y, x)` pairs with the HR crop at `(y·s, x·s)`), and the 8 flips and 90° rotations,
**one** random draw for both halves. Yoo et al. (CVPR 2020, "Rethinking Data Augmentation for Image
Super-resolution") added **CutBlur**: paste a region of the (upscaled) LR into the HR or the other
way round, which teaches the model *where* to restore and where to leave the image alone;
`MixUp` and `CutMix` mix two pairs the same way on both sides.

What breaks a pair is easy to do by accident. `data.pair_misalignment` measures it: PSNR of
bicubic(LR) against the HR, the **shift** between them (phase correlation), the correlation, and
the mean colour difference. Four pairs: a correct one and three classic mistakes.
""")

code(r'''
from scipy import ndimage

pair_hr = lesson_images["astronaut"]
pair_lr = data.make_lr(pair_hr, SCALE)
jittered = np.clip(pair_hr.astype(float) * [1.08, 1.0, 0.92] + [6, 0, -6], 0, 255).round().astype(np.uint8)
rotated = ndimage.rotate(pair_hr, 5, reshape=False, order=1, mode="reflect")
shifted = np.roll(pair_hr, (2, 2), axis=(0, 1))              # an HR crop 2 px off: not a multiple of the scale
cases = {"correct pair": pair_hr, "colour jitter on the HR only": jittered,
         "HR rotated 5° (not a multiple of 90)": rotated, "HR crop 2 px off the LR's grid": shifted}
measured = {name: data.pair_misalignment(pair_lr, target, SCALE) for name, target in cases.items()}
print(f"{'':38s} {'PSNR':>6s} {'shift (px)':>11s} {'corr':>6s}  mean colour difference (R, G, B)")
for name, m in measured.items():
    print(f"{name:38s} {m['psnr']:6.2f} {str(tuple(round(v, 1) for v in m['shift'])):>11s} {m['correlation']:6.3f}  "
          f"{np.round(m['mean_difference'], 1)}")
good = measured["correct pair"]
assert good["shift"] == (0, 0) or max(abs(v) for v in good["shift"]) < 0.5
assert max(abs(v) for v in measured["HR crop 2 px off the LR's grid"]["shift"]) >= 1.5
assert max(abs(v) for v in measured["colour jitter on the HR only"]["mean_difference"]) > 4
assert measured["HR rotated 5° (not a multiple of 90)"]["correlation"] < good["correlation"] - 0.02
''')

md(r"""
Each mistake shows in one number. The shifted crop keeps a high correlation but a shift of two
pixels: a model trained on such pairs learns to **move** the image. The colour jitter keeps the
geometry and moves the mean colour by several grey levels: the model learns to shift colours. The
small rotation keeps no shift but loses correlation where the image has detail: the model learns to
blur. The PSNR column alone would not have told you which mistake you made.

Safe augmentations, drawn by `PairedPatches` (the sampler of lessons 03-05) with a random
degradation, keep the pair relation: every column is a pair. CutBlur pastes between two images
of the same size, so the sampler gives the bicubic-upscaled LR here (`pre_upsample=True`, the
input of SRCNN-style models); look for the columns where a sharp HR square sits inside the
degraded input, or a degraded square inside the target.
""")

code(r'''
sampler = data.PairedPatches({"astronaut": pair_hr}, SCALE, 16, channels="rgb", pre_upsample=True,
                             degradation=data.get_degradation("realesrgan"),
                             transforms=(data.Dihedral(), data.CutBlur(probability=0.5)), seed=3)
inputs, targets = sampler.batch(0, 6)       # pre_upsample: the input is bicubic(LR), at HR size, as CutBlur needs
plots.plot_patch_pairs({"input: bicubic(degraded LR), flips, CutBlur": inputs, "HR target": targets}, max_pairs=6,
                       panel_inches=1.5,
                       title="training pairs: one random draw of each transform per pair, applied to both halves")
''')

md(r"""
**Check your understanding (c2).**
You add colour jitter to the HR patches only (not to the LR). What does the network learn?

- **a** nothing: the network ignores small colour changes
- **b** to shift colours: at test time it changes the colours of every image it upscales
- **c** nothing, as long as the network is large enough
- **d** that colour jitter is always harmful, even when applied to both halves alike
""")

code(r'''
answer = ...  # "a", "b", "c" or "d"
ex.c2.check(answer)
# ex.c2.hint()      # uncomment for a hint
# ex.c2.solution()  # uncomment to see the answer
''')

md(r"""
## 5. Training a blind model, live

A **blind** model is one that does not know the degradation of its input: it was trained on many.
With the course's command it is one option, `--degradation`:

```bash
python -m srlib train srresnet --scale 4 --data T91 General100 --degradation realesrgan \
    --init-weights srlib/weights/srresnet_x4.weights.h5 --lr 2e-4 --out runs/srresnet_blind_x4
```

Every training sample's HR patch gets its own random degradation (a child generator of the batch's
seed, so the stream is reproducible and a resumed run continues it exactly), and validation scores
the held-aside images **degraded once** by the same pipeline (`data.fixed_degradation`: seeded by
the run's seed and each image's name). Here, a tiny ESPCN from scratch on the images that ship
with srlib:
""")

code(r'''
workdir = tempfile.TemporaryDirectory(prefix="srlib_lesson06_")     # removed at the end of the lesson
live = training.train(training.TrainConfig(
    model="espcn", scale=SCALE, out=str(Path(workdir.name) / "blind"), degradation="realesrgan",
    steps=LIVE_STEPS, batch_size=16, val_every=max(1, LIVE_STEPS // 4), lr=1e-3, verbose=0))
for row in live["rows"]:
    print(f"step {row['step']:4.0f}: loss {row['loss']:.4f}, val PSNR {row['val_psnr']:.2f} dB "
          f"(bicubic on the same degraded images {row['bicubic_psnr']:.2f} dB)")
print("validation:", json.loads((Path(workdir.name) / "blind" / f"espcn_x{SCALE}.log.json").read_text())["validation"])
''')

md(r"""
In quick mode (a few steps) this shows only that the pipeline runs; in workshop mode (300 steps,
about a minute) the validation PSNR on degraded images climbs towards bicubic's. Beating bicubic
on Real-ESRGAN's degradations takes far longer: the shipped blind SRResNet started from the clean
SRResNet's weights and trained for over an hour (its card, `srlib/weights/srresnet_blind_x4.md`,
has the command, the learning curve and the hardware).

How fast must the degradations be? The data must not keep the model waiting:
""")

code(r'''
speed = data.degradation_speed(count=srlib.course.pick(8, 32))
for name, row in speed.items():
    print(f"{name:11s} {row['patches_per_s']:7.0f} patches/s on one thread (96-px HR patches, x4)")
consumed = 20                              # patches/s of the blind SRResNet's training on 2 CPU cores (its card)
print(f"SRResNet x4 training consumes about {consumed} patches/s: Real-ESRGAN's pipeline is "
      f"{speed['realesrgan']['patches_per_s'] / consumed:.1f}x faster on one thread")
''')

md(r"""
Real-ESRGAN's pipeline makes well over a hundred patches a second on one thread, several times what
the SRResNet consumes on a CPU, so training does not wait on it (the training loop prepares batches
in parallel with `tf.data` and `num_parallel_calls`). For a small, fast network like ESPCN (over a
thousand patches a second) the pipeline would be the bottleneck on two cores: that is one reason
blind models are large.

## 6. The shipped blind model on three test settings

A blind model must be judged on three kinds of input, because it is built to trade one for another:

1. **the clean protocol** (Set5, Set14, MATLAB bicubic LR): what the literature reports - the blind
   model is expected to lose here, because it has learned to remove noise and blur that is not there;
2. **a degraded benchmark**: the same HR images, each degraded *once* by Real-ESRGAN's pipeline from a
   fixed seed (`python -m srlib evaluate --degradation realesrgan`; `data.write_degraded_benchmark`
   writes the LR files, the drawn plans and their SHA-256, so anyone regenerates the same set);
3. **real low-quality images with no ground truth**: here, heavily compressed JPEGs; only NIQE and
   your eyes can judge them.

Settings 1 and 2, from the committed benchmark (`benchmarks/evaluate_blind_x4.json`, made by the
course's `evaluate` command; never used for any choice in training):
""")

code(r'''
benchmark = json.loads((Path("..") / "benchmarks" / "evaluate_blind_x4.json").read_text())
table = {}
for record in benchmark["results"]:
    setting = record.get("degradation", {}).get("name", "clean")
    table[(record["dataset"], setting, record["method"])] = record["mean"]["psnr"]
    table[(record["dataset"], setting, "bicubic")] = record["baseline"]["psnr"]
methods = ("bicubic", "srresnet", "srresnet_blind")
print(f"{'x4 Y-PSNR (dB)':28s}" + "".join(f"{m:>16s}" for m in methods))
for dataset in ("Set5", "Set14"):
    for setting in ("clean", "realesrgan"):
        print(f"{dataset + ', ' + setting:28s}" + "".join(f"{table[(dataset, setting, m)]:16.2f}" for m in methods))
for dataset in ("Set5", "Set14"):
    assert table[(dataset, "clean", "srresnet_blind")] < table[(dataset, "clean", "srresnet")]          # 1: it loses
    assert table[(dataset, "realesrgan", "srresnet_blind")] > table[(dataset, "realesrgan", "srresnet")]  # 2: it wins
    assert table[(dataset, "realesrgan", "srresnet_blind")] > table[(dataset, "realesrgan", "bicubic")]
''')

md(r"""
Exactly the trade the blind model was built for, and a steep one. On the clean protocol it loses
3.8 dB on Set5 and 2.6 dB on Set14 to the clean SRResNet - it even falls *below bicubic* (by 1.7 and
1.1 dB): it removes "noise" and "blur" that is not there, and with them real detail. On the
Real-ESRGAN benchmark it gains +0.95 dB (Set5) and +0.54 dB (Set14) over the clean SRResNet, which
there loses to plain bicubic; on the milder classical benchmark (`--degradation classical` in the
committed file) +0.17 and +1.05 dB. Real-ESRNet, the published model of this kind, trains for days
on GPUs; ours had 75 CPU-minutes from the clean SRResNet's weights, and the direction of every
number is the point, not its size. A model for a known, mild degradation would be trained on that
degradation, not on Real-ESRGAN's worst cases.

The same test on the lesson's own images (not in any training set), degraded by
`data.fixed_degradation` - here computed live, image by image:
""")

code(r'''
live_scores = {name: [] for name in ("bicubic", "SRResNet (clean)", "SRResNet (blind)")}
degraded_panels = {}
for name, image in lesson_images.items():
    item = data.fixed_degradation(image, SCALE, "realesrgan", seed=0, name=name)
    for label, method in (("bicubic", "bicubic"), ("SRResNet (clean)", clean_model), ("SRResNet (blind)", blind)):
        sr = srlib.upscale(method, item.lr, SCALE)
        live_scores[label].append(metrics.psnr(item.hr, sr, border=SCALE))
        if name == "chelsea":
            degraded_panels[label] = sr
    if name == "chelsea":
        degraded_panels = {"ground truth": item.hr, "degraded LR": np.kron(item.lr, np.ones((SCALE, SCALE, 1), np.uint8)),
                           **degraded_panels}
for label, values in live_scores.items():
    print(f"{label:17s} mean Y-PSNR {np.mean(values):.2f} dB  ({', '.join(f'{v:.2f}' for v in values)})")
assert np.mean(live_scores["SRResNet (blind)"]) > np.mean(live_scores["SRResNet (clean)"])
plots.compare(degraded_panels, reference=degraded_panels["ground truth"], border=SCALE, ncols=5,
              zoom=(CROP // 4, CROP // 4, CROP // 4, CROP // 4),
              title="chelsea, Real-ESRGAN degradation (fixed seed), x4")
''')

md(r"""
Setting 3: a low-resolution image saved as a **quality-15 JPEG** - what a messenger or an old
archive gives you. There is no ground truth, so the judges are your eyes and NIQE (lesson 05: the
distance of the image's local statistics from natural photographs, lower is more natural).
""")

code(r'''
source = data.default_images(size=96, names=["grace_hopper"])["grace_hopper"]   # a small photo, LR-sized
web_lr = data.jpeg(source, 15)
real_panels = {"the JPEG (nearest)": np.kron(web_lr, np.ones((SCALE, SCALE, 1), np.uint8))}
no_reference = {"the JPEG (nearest)": {"blockiness": metrics.blockiness(web_lr)}}
for label, method in (("bicubic", "bicubic"), ("SRResNet (clean)", clean_model), ("SRResNet (blind)", blind)):
    real_panels[label] = srlib.upscale(method, web_lr, SCALE)
    no_reference[label] = {"niqe": metrics.niqe(real_panels[label], crop_border=SCALE),
                           "blockiness": metrics.blockiness(real_panels[label], period=8 * SCALE)}
print(f"{'':19s} {'NIQE':>6s} {'blockiness':>11s}   (NIQE: lower = more natural; blockiness: 1 = no block grid)")
for label, row in no_reference.items():
    print(f"{label:19s} {row.get('niqe', float('nan')):6.2f} {row['blockiness']:11.2f}")
assert no_reference["SRResNet (clean)"]["blockiness"] > no_reference["bicubic"]["blockiness"]  # it sharpens the blocks
assert no_reference["SRResNet (blind)"]["blockiness"] < no_reference["the JPEG (nearest)"]["blockiness"]  # it removes them
plots.compare(real_panels, ncols=4, zoom=(96, 96, 128, 128),
              title="a quality-15 JPEG, x4: no ground truth (NIQE and blockiness in the printout above)")
''')

md(r"""
Two no-reference measures. **Blockiness** (`metrics.blockiness`: the mean step across the JPEG's
block edges - every `8 · 4 = 32` output pixels - over the mean step elsewhere) says what the zoom
shows: the clean-trained SRResNet makes the blocks *stronger* than they were, since it restores
their edges as if they were detail; the blind model removes most of them. **NIQE** barely tells the
two networks apart (within a few tenths): it rewards sharp local structure, and the clean model's
sharpened block edges *are* sharp structure, while the blind model's output is smoother, with fine
texture lost where it could not tell texture from compression noise. A perceptual score sees only
what it was built to see - which is why the course reports an artifact measure beside it (lesson
05's grid, here the blocks). Neither output is *true*: a quality-15 JPEG has lost that information.

## 7. The degradation explorer

Move the sliders - blur, noise, JPEG quality - and watch the clean-trained and the blind model
answer the same LR image, with PSNR and SSIM against the ground truth. Where does the clean model
stop beating bicubic? Where does the blind model start to lose to it?
""")

code(r'''
explorer = degradation_explorer(hr, models={"SRResNet (clean)": clean_model, "SRResNet (blind)": blind}, scale=SCALE,
                                blur_sigma=1.0, noise_sigma=8, jpeg_quality=40)     # section 1's degradation
explorer
''')

md(r"""
## 8. Degradation-aware augmentation for the classifier

The same idea for the classifier of lesson 07: if its real test images will be low-resolution,
blurred, noisy and compressed, and enlarged by *some* method, its training images should be too.
`data.random_degrade_and_expand` draws, per image, a scale (1, 2 or 4), a realistic degradation and an
expansion method, and returns an image of the input size - a transform for any classifier pipeline:
""")

code(r'''
splits = eurosat.eurosat_splits()                     # the bundled EuroSAT subset (lesson 07)
scenes = eurosat.read_eurosat(splits["train"])[:2]
figure, axes = plt.subplots(2, DRAWS + 1, figsize=(1.45 * (DRAWS + 1), 3.5), layout="constrained")
for row, scene in enumerate(scenes):
    axes[row, 0].imshow(scene)
    axes[row, 0].set_title("native 64 x 64", fontsize=7)
    for column in range(DRAWS):
        image, details = data.random_degrade_and_expand(scene, np.random.default_rng([row, column]), details=True)
        assert image.shape == scene.shape
        axes[row, column + 1].imshow(image)
        axes[row, column + 1].set_title(f"x{details['scale']}, {details['method']}", fontsize=7)
for ax in axes.ravel():
    ax.set_xticks([]); ax.set_yticks([])
figure.suptitle("degradation-aware resolution augmentation: one random draw per panel", fontsize=10)
plt.show()
''')

md(r"""
**What the study measured** (lesson 07, section 6; `benchmarks/study/`): a classifier trained on
native HR images loses 38 points on bicubic ×4 expansions of clean LR, and **resolution
augmentation** (each training image at a random scale through a random method) keeps it within a
few points of native on every clean expansion. On **realistic LR** - each test image's LR degraded
once by the `realesrgan` pipeline of section 4, then expanded - both fall below 50 %, whatever the
expansion method. The study's degradation-aware condition (`resaug_degraded`: the same
augmentation, with the LR clean or `realesrgan`-degraded with equal odds) keeps about 60 % there,
20 points more, and pays about 6 points on clean images. Its degradation is one fixed draw per
training image (cached); `random_degrade_and_expand` above draws anew every time, which a
pipeline that does not cache can afford.
""")

code(r'''
summary = json.loads((Path("..") / "benchmarks" / "study" / "summary.json").read_text())
conditions = summary["conditions"]
native = conditions["hr"]["tests"]["hr"]["top1"]["mean"]
hr_on_bicubic = conditions["hr"]["tests"]["bicubic_x4"]["top1"]["mean"]
resaug_on_bicubic = conditions["resaug"]["tests"]["bicubic_x4"]["top1"]["mean"]
print(f"native HR classifier: {100 * native:.1f} % on native test images, {100 * hr_on_bicubic:.1f} % on bicubic x4; "
      f"resolution-augmented: {100 * resaug_on_bicubic:.1f} % on bicubic x4")
assert resaug_on_bicubic > hr_on_bicubic + 0.2
for test in ("bicubic_x4_realesrgan", "espcn_x4_realesrgan", "bicubic_x2_realesrgan"):
    scores = {name: conditions[name]["tests"][test]["top1"]["mean"] for name in ("hr", "resaug", "resaug_degraded")}
    print(f"{test}: " + ", ".join(f"{name} {100 * value:.1f} %" for name, value in scores.items()))
    assert max(scores["hr"], scores["resaug"]) < 0.5 < scores["resaug_degraded"]
    assert scores["resaug_degraded"] > scores["resaug"] + 0.15
''')

md(r"""
## Summary

* A model trained on clean bicubic LR learns to sharpen; on a blurred, noisy, compressed image it
  sharpens the noise and the blocks (section 1: the clean SRCNN and SRResNet *amplify* noise that
  bicubic smooths).
* The degradation model: blur kernels (Gaussian, generalized, plateau, sinc - each with its
  spectrum), resizing, Gaussian and Poisson noise, JPEG; in `srlib.data`, each step with a seeded
  `random_*` twin. Real-ESRGAN runs the chain **twice**; BSRGAN shuffles it; a pipeline's **plan**
  is every random parameter as JSON.
* Augment **pairs**, never halves: aligned crops, flips and 90° rotations drawn once per pair,
  CutBlur / MixUp / CutMix. `data.pair_misalignment` names the mistake: shift (crop off the grid),
  colour difference (jitter on one half), lost correlation (a free rotation).
* A **blind** model is one training option: `--degradation realesrgan`. It loses on the clean
  protocol, wins on degraded inputs, and removes JPEG blocks that a clean model sharpens.
  Judge it on all three settings; a degraded benchmark must be **fixed** (one seeded degradation
  per image) to be a benchmark.
* For the classifier: `data.random_degrade_and_expand` is the degradation-aware version of lesson 07's
  resolution augmentation.

**Back to the course question.** Expanding images for a CNN is not only about the interpolation:
the real LR images carry blur, noise and compression, and any expansion method - interpolation or
network - passes them on, or amplifies them. Train on what you will meet.

## Exercises

Each exercise has a checker: `ex.qN.check(answer)` says whether your answer is right (and why
not), `ex.qN.hint()` gives a hint, `ex.qN.solution()` shows a solution.

### Exercise 1: an anisotropic Gaussian kernel

Write `anisotropic_gaussian(size, sigma_x, sigma_y, angle)`: a `size × size` kernel (odd size,
centred), `exp(-(u² / σx² + v² / σy²) / 2)` where `(u, v)` are the pixel offsets `(x, y)` rotated
by `angle` radians (`u = cos·x + sin·y`, `v = −sin·x + cos·y`), normalised to sum 1.
""")

code(r'''
def anisotropic_gaussian(size, sigma_x, sigma_y, angle):
    ...  # your code here


ex.q1.check(anisotropic_gaussian)
''')

code(r'''
# ex.q1.hint()
# ex.q1.solution()
''')

md(r"""
### Exercise 2: an aligned crop

Write `aligned_crop(lr, hr, y, x, size, scale)`: the `size × size` LR crop with its top-left corner
at `(y, x)`, and the HR crop that shows the same part of the scene. Return `(lr_crop, hr_crop)`.
""")

code(r'''
def aligned_crop(lr, hr, y, x, size, scale):
    ...  # your code here


ex.q2.check(aligned_crop)
''')

code(r'''
# ex.q2.hint()
# ex.q2.solution()
''')

md(r"""
### Exercise 3: measure JPEG's blocks

Write `blockiness(image)` for a 2-D array of grey levels: the mean absolute horizontal step
`|image[:, c + 1] − image[:, c]|` over the columns `c` with `c % 8 == 7` (the steps across JPEG's
8×8 block edges), divided by the mean over all other columns. About 1 without blocks. Then try it on
`images.rgb_to_y(data.jpeg(photo, q))` for a few qualities.
""")

code(r'''
def blockiness(image):
    ...  # your code here


ex.q3.check(blockiness)
''')

code(r'''
# ex.q3.hint()
# ex.q3.solution()
''')

md(r"""
### Going further (not checked)

* Train a blind ESPCN on the classical pipeline instead (`--degradation classical`) and evaluate
  it with `python -m srlib evaluate --data Set5 Set14 --scale 4 --degradation classical`: does a
  milder training degradation cost less on the clean protocol?
* Write your own degradation pipeline: subclass `data.RandomDegradation`, draw a plan of
  `{"op": ...}` steps (see `data.apply_plan`), and train on it.
* Measure `blockiness` of the clean and the blind SRResNet's outputs on section 6's JPEG (at the
  LR's block grid: every `8 · SCALE` output columns).
""")

code(r'''
workdir.cleanup()
''')


def build() -> dict:
    cells = []
    for index, (kind, source) in enumerate(CELLS):
        lines = source.splitlines(keepends=True)
        if kind == "markdown":
            cells.append({"cell_type": "markdown", "id": f"cell-{index:02d}", "metadata": {}, "source": lines})
        else:
            tags = kind.split(":", 1)[1].split(",") if ":" in kind else None
            cells.append({"cell_type": "code", "id": f"cell-{index:02d}", "execution_count": None, "metadata": {"tags": tags} if tags else {},
                          "outputs": [], "source": lines})
    return {"cells": cells, "metadata": {"kernelspec": {"display_name": "Python 3", "language": "python",
                                                        "name": "python3"}, "language_info": {"name": "python"}},
            "nbformat": 4, "nbformat_minor": 5}


if __name__ == "__main__":
    target = Path(__file__).resolve().parents[1] / "notebooks" / "06_degradations_and_augmentation.ipynb"
    target.write_text(json.dumps(build(), indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {target}")
