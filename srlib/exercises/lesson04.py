"""Exercises of ``04_fast_sr_networks.ipynb``: pixel shuffle, cost per pixel, ICNR, tile overlap.

Use in the notebook::

    from srlib.exercises import lesson04 as ex
    def pixel_shuffle(x, r):
        ...
    ex.q1.check(pixel_shuffle)   # ex.q1.hint(), ex.q1.solution()

``q1``-``q4`` are the end-of-lesson exercises; ``c1``-``c3`` the short check-your-understanding
questions after the lesson's main sections (``answer = ...``, then ``ex.c1.check(answer)``).
Every exercise carries its reference answer (``ex.q1.answer()``) and examples of
wrong answers; ``tests/test_exercises_lessons_03_04.py`` checks both.

Taught in ``04_fast_sr_networks.ipynb``.
"""
from __future__ import annotations

from typing import Any

import numpy as np

from srlib.exercises import Exercise, Result, function_check, one_of, whole_number

__all__ = ["q1", "q2", "q3", "q4", "c1", "c2", "c3", "pixel_shuffle", "espcn_macs", "icnr_kernel", "ESPCN_X3_OVERLAP"]

#: Smallest tile overlap (LR pixels) that makes tiled ESPCN x3 (5-3-3) equal to untiled: 2 + 1 + 1.
ESPCN_X3_OVERLAP = 4


def _check_block(scale: Any) -> int:
    if isinstance(scale, bool) or not isinstance(scale, (int, np.integer)) or scale < 1:
        raise ValueError(f"scale must be a positive integer, got {scale!r}")
    return int(scale)


# --------------------------------------------------------------------------- reference answers
def pixel_shuffle(x: np.ndarray, r: int) -> np.ndarray:
    """Sub-pixel shuffle in NumPy: ``(H, W, C*r*r) -> (H*r, W*r, C)``, channel order as ``DepthToSpace``.

    ``out[r*h + i, r*w + j, c] = x[h, w, (i*r + j)*C + c]``, written with one
    reshape and one transpose.

    Notes
    -----
    Taught in ``04_fast_sr_networks.ipynb``.
    """
    r = _check_block(r)
    x = np.asarray(x)
    if x.ndim != 3 or x.shape[-1] % (r * r):
        raise ValueError(f"x must be (H, W, C*{r}*{r}), got shape {x.shape}")
    height, width, depth = x.shape
    channels = depth // (r * r)
    return x.reshape(height, width, r, r, channels).transpose(0, 2, 1, 3, 4).reshape(height * r, width * r,
                                                                                     channels)


def espcn_macs(scale: int) -> float:
    """Multiply-adds per *output* pixel of ESPCN (5-3-3, 64/32 maps, on Y) at ``scale``.

    All three convolutions run on the LR grid, ``1 / scale**2`` of the output
    pixels: ``(5*5*1*64 + 3*3*64*32 + 3*3*32*scale**2) / scale**2``.

    Notes
    -----
    Taught in ``04_fast_sr_networks.ipynb``.
    """
    r = _check_block(scale)
    return (5 * 5 * 1 * 64 + 3 * 3 * 64 * 32 + 3 * 3 * 32 * r * r) / float(r * r)


def icnr_kernel(kernel: np.ndarray, scale: int) -> np.ndarray:
    """ICNR: copy a ``(kh, kw, in, out)`` kernel to all ``scale**2`` sub-pixel positions.

    With :class:`srlib.models.DepthToSpace` channel ``k*out + c`` feeds sub-pixel
    position ``k`` of output channel ``c``, so the full kernel is the sub-kernel
    tiled ``scale**2`` times along the last axis.

    Notes
    -----
    Taught in ``04_fast_sr_networks.ipynb``.
    """
    r = _check_block(scale)
    kernel = np.asarray(kernel)
    if kernel.ndim != 4:
        raise ValueError(f"kernel must be (kh, kw, in, out), got shape {kernel.shape}")
    return np.tile(kernel, (1, 1, 1, r * r))


def _extend(outcome: Result, text: str) -> Result:
    return Result(False, outcome.message.rstrip(". ") + ". " + text)


# --------------------------------------------------------------------------- q1
def _q1_cases() -> list[tuple[np.ndarray, int]]:
    rng = np.random.default_rng(4)
    return [(np.arange(2 * 2 * 4).reshape(2, 2, 4).astype(np.float32), 2),
            (rng.normal(size=(3, 4, 9)).astype(np.float32), 3),
            (rng.normal(size=(2, 3, 2 * 4)).astype(np.float32), 2)]


def _check_q1(answer: Any) -> Result:
    outcome = function_check(pixel_shuffle, _q1_cases)(answer)
    if outcome.ok or not callable(answer):
        return outcome
    x = np.arange(2 * 2 * 4).reshape(2, 2, 4).astype(np.float32)
    try:
        got = np.asarray(answer(x.copy(), 2))
    except Exception:  # noqa: BLE001
        return outcome
    if got.shape == (4, 4, 1) and np.array_equal(got, x.reshape(4, 4, 1)):
        return _extend(outcome, "A plain reshape keeps each LR pixel's 4 values in one row; they must form a "
                                "2x2 block: reshape to (H, W, r, r, C), swap the W and first r axes, reshape back.")
    return outcome


q1 = Exercise(
    "q1",
    checker=_check_q1,
    answer=pixel_shuffle,
    hint=["Output pixel (r*h + i, r*w + j) takes channel (i*r + j)*C + c of input pixel (h, w).",
          "x.reshape(H, W, r, r, C) makes the axes (h, w, i, j, c); you need (h, i, w, j, c) before "
          "reshaping to (H*r, W*r, C)."],
    solution="def pixel_shuffle(x, r):\n"
             "    height, width, depth = x.shape\n"
             "    channels = depth // (r * r)\n"
             "    x = x.reshape(height, width, r, r, channels)        # (h, w, i, j, c)\n"
             "    x = x.transpose(0, 2, 1, 3, 4)                      # (h, i, w, j, c)\n"
             "    return x.reshape(height * r, width * r, channels)",
    explanation="No arithmetic at all: the sub-pixel convolution computes r*r values per LR pixel, "
                "and the shuffle only puts them in place. That is why ESPCN is cheap.",
    wrong=[lambda x, r: x.reshape(x.shape[0] * r, x.shape[1] * r, -1),
           lambda x, r: np.repeat(np.repeat(x[..., :x.shape[-1] // (r * r)], r, axis=0), r, axis=1),
           "depth_to_space"],
)


# --------------------------------------------------------------------------- q2
def _check_q2(answer: Any) -> Result:
    outcome = function_check(espcn_macs, [(2,), (3,), (4,)], rtol=1e-6)(answer)
    if outcome.ok or not callable(answer):
        return outcome
    try:
        got = float(answer(3))
    except Exception:  # noqa: BLE001
        return outcome
    if np.isclose(got, espcn_macs(3) * 9):
        return _extend(outcome, "That is per LR pixel: one LR pixel makes scale**2 output pixels, divide by them.")
    if np.isclose(got, (25 * 64 + 9 * 64 * 32 + 9 * 32) / 9.0):
        return _extend(outcome, "The last convolution has scale**2 output channels (one per sub-pixel position).")
    return outcome


q2 = Exercise(
    "q2",
    checker=_check_q2,
    answer=espcn_macs,
    hint=["Per LR pixel, a k x k convolution from C_in to C_out costs k*k*C_in*C_out multiply-adds.",
          "Layers: 5x5 1->64, 3x3 64->32, 3x3 32->scale**2; then divide by the scale**2 output pixels "
          "each LR pixel becomes."],
    solution="def espcn_macs(scale):\n"
             "    per_lr_pixel = 5 * 5 * 1 * 64 + 3 * 3 * 64 * 32 + 3 * 3 * 32 * scale ** 2\n"
             "    return per_lr_pixel / scale ** 2     # x3: 2,513.8 (SRCNN 9-1-5: 8,032)",
    explanation="ESPCN x3 needs 2,514 multiply-adds per output pixel, SRCNN 8,032: 3.2x fewer, and the "
                "gap grows with the scale (x4: 5.7x) because ESPCN's work shrinks with the LR grid.",
    wrong=[lambda scale: 5 * 5 * 64 + 3 * 3 * 64 * 32 + 3 * 3 * 32 * scale ** 2,
           lambda scale: (5 * 5 * 64 + 3 * 3 * 64 * 32 + 3 * 3 * 32) / scale ** 2,
           2513.8],
)


# --------------------------------------------------------------------------- q3
def _q3_cases() -> list[tuple[np.ndarray, int]]:
    rng = np.random.default_rng(5)
    return [(rng.normal(size=(3, 3, 8, 1)).astype(np.float32), 3),
            (rng.normal(size=(3, 3, 4, 3)).astype(np.float32), 2),
            (rng.normal(size=(1, 1, 2, 2)).astype(np.float32), 4)]


def _compare_kernels(result: Any, expected: np.ndarray) -> Result:
    if result is None:
        return Result(False, "it returned None: did you forget `return`?")
    array = np.asarray(result)
    if array.shape != expected.shape:
        return Result(False, f"it returned shape {array.shape}, expected {expected.shape}: the full kernel has "
                             "out * scale**2 output channels (last axis)")
    if not np.allclose(array, expected):
        return Result(False, f"{int((~np.isclose(array, expected)).sum())} of {expected.size} weights are not "
                             "where DepthToSpace needs them")
    return Result(True, "")


def _check_q3(answer: Any) -> Result:
    outcome = function_check(icnr_kernel, _q3_cases, compare=_compare_kernels)(answer)
    if outcome.ok or not callable(answer):
        return outcome
    kernel = np.random.default_rng(6).normal(size=(3, 3, 4, 3)).astype(np.float32)
    try:
        got = np.asarray(answer(kernel.copy(), 2))
    except Exception:  # noqa: BLE001
        return outcome
    if got.shape == (3, 3, 4, 12) and np.array_equal(got, np.repeat(kernel, 4, axis=-1)):
        return _extend(outcome, "np.repeat gives channel c*r*r + k (PyTorch's PixelShuffle order); srlib's "
                                "DepthToSpace (like tf.nn.depth_to_space) reads channel k*C + c: tile instead.")
    return outcome


q3 = Exercise(
    "q3",
    checker=_check_q3,
    answer=icnr_kernel,
    hint=["The full kernel has out * scale**2 output channels; DepthToSpace sends channel k*out + c to "
          "sub-pixel position k of output channel c.",
          "All scale**2 positions should get the same filters: np.tile along the last axis."],
    solution="def icnr_kernel(kernel, scale):\n"
             "    return np.tile(kernel, (1, 1, 1, scale * scale))",
    explanation="Every sub-pixel position starts with the same filter, so at initialisation the layer equals "
                "a convolution followed by nearest-neighbour upsampling: no checkerboard to unlearn.",
    wrong=[lambda kernel, scale: np.repeat(kernel, scale * scale, axis=-1),
           lambda kernel, scale: np.tile(kernel, (1, 1, 1, scale)),
           lambda kernel, scale: kernel],
)


# --------------------------------------------------------------------------- q4
def _check_q4(answer: Any) -> Result:
    if isinstance(answer, bool) or not isinstance(answer, (int, float, np.integer, np.floating)):
        return Result(False, f"expected a whole number of LR pixels, got {type(answer).__name__} {answer!r:.40}")
    value = float(answer)
    if value == ESPCN_X3_OVERLAP:
        return Result(True, "")
    if value == 3 * ESPCN_X3_OVERLAP:
        return Result(False, "that is in HR pixels; the tiles are cut from the LR input, so count LR pixels")
    if value == 2 * ESPCN_X3_OVERLAP + 1:
        return Result(False, "9 is the whole receptive field (both sides and the centre); the overlap is what "
                             "one side needs: the radius")
    if value < ESPCN_X3_OVERLAP:
        return Result(False, f"{answer} is too small: near the tile edge the output would still see the "
                             "zero padding instead of the neighbouring pixels: a seam")
    return Result(False, f"{answer} works but is not the smallest: each k x k layer adds (k - 1) / 2")


q4 = Exercise(
    "q4",
    checker=_check_q4,
    answer=ESPCN_X3_OVERLAP,
    hint=["A k x k 'same' convolution looks (k - 1) / 2 pixels to each side.",
          "ESPCN's kernels are 5, 3 and 3, all on the LR grid; the shuffle looks nowhere."],
    solution="answer = (5 - 1) // 2 + (3 - 1) // 2 + (3 - 1) // 2   # 4 LR pixels\n"
             "# srlib.models.receptive_radius(srlib.models.espcn(3)) computes it for any model",
    explanation="With 4 LR pixels of context on each side, every output pixel of a tile sees exactly what it "
                "would see in the whole image, so tiled == untiled (section 6 checks it bit for bit).",
    wrong=[12, 9, 3, 0, 6, "4"],
)


# =========================================================================== check your understanding
# Short questions after the lesson's sections (c1 after section 1, c2 after 2a, c3 after 2b), checked
# like the exercises; the notebook cell holds `answer = ...` and `ex.cN.check(answer)`.

#: c1 and c2: the scale asked about.
C_SCALE: int = 4


def _check_c1(answer: Any) -> Result:
    value = whole_number(answer)
    if value is None:
        return Result(False, f"expected a whole number (how many times fewer pixels), got {answer!r:.40}.")
    if value == C_SCALE ** 2:
        return Result(True, "")
    if value == C_SCALE:
        return Result(False, "4 is the factor per side; the number of pixels shrinks with the height *and* the "
                             "width.")
    if value == C_SCALE ** 2 - 1:
        return Result(False, "count the ratio of pixel counts, (4 * 4) / 1, not the difference.")
    return Result(False, f"{value} is not it: SRCNN works on the output grid, ESPCN on the LR grid, 1/4 of it "
                         "in each direction.")


c1 = Exercise(
    "c1",
    checker=_check_c1,
    answer=C_SCALE ** 2,
    hint="SRCNN runs on the output-size image, ESPCN on the LR image: how many output pixels per LR pixel?",
    solution="answer = 4 ** 2  # 16",
    explanation="That is why post-upsampling gets cheaper with the scale: at x4 each of ESPCN's convolutions "
                "is paid once per 16 output pixels.",
    wrong=[4, 15, 8, "16"],
)


def _check_c2(answer: Any) -> Result:
    value = whole_number(answer)
    if value is None:
        return Result(False, f"expected a whole number of channels, got {answer!r:.40}.")
    if value == 3 * C_SCALE ** 2:
        return Result(True, "")
    if value == C_SCALE ** 2:
        return Result(False, "16 channels make one output channel (Y); an RGB output needs 16 for each of R, G "
                             "and B.")
    if value == 3 * C_SCALE:
        return Result(False, "each LR pixel becomes a 4 x 4 block: scale ** 2 values per output channel, not "
                             "scale.")
    if value == 3:
        return Result(False, "3 channels would be an RGB image of the LR size; the shuffle makes a 4x larger "
                             "image from channels * scale ** 2 maps.")
    return Result(False, f"{value} is not it: the shuffle turns channels * scale ** 2 maps into `channels` "
                         "maps, scale times larger.")


c2 = Exercise(
    "c2",
    checker=_check_c2,
    answer=3 * C_SCALE ** 2,
    hint="One value per position of the 4 x 4 block, for each of the 3 output channels.",
    solution="answer = 3 * 4 ** 2  # 48: models.espcn(4, channels=3) has it",
    explanation="The last convolution does all the upsampling work; DepthToSpace only moves the 48 maps "
                "into place (3 channels, 4x larger).",
    wrong=[16, 12, 3, 64],
)

c3 = Exercise(
    "c3",
    checker=one_of("c", options=("a", "b", "c", "d"), feedback={
        "a": "3 is not a multiple of 2: every other output pixel gets two kernel copies, its neighbours one "
             "(the k=3, stride 2 map above).",
        "b": "9 is not a multiple of 2: the copies overlap unevenly (the k=9, stride 2 map above), as for "
             "FSRCNN at x2.",
        "d": "9 is not a multiple of 4: some output pixels get three kernel copies, others two.",
    }),
    hint="The overlap is even when the kernel size is a multiple of the stride.",
    solution="answer = 'c'  # 6 % 3 == 0: every output pixel receives 6 / 3 = 2 copies per direction",
    explanation="kernel_size % stride == 0 makes the overlap even; it removes one cause of checkerboards, "
                "the initialisation (section 3) is the other.",
    wrong=["a", "b", "d"],
)
