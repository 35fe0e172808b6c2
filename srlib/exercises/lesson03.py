"""Exercises of ``03_srcnn.ipynb``: parameters, receptive field, SRCNN's input, loss in dB.

Use in the notebook::

    from srlib.exercises import lesson03 as ex
    def srcnn_parameters(f1, f2, f3, n1=64, n2=32, channels=1):
        ...
    ex.q1.check(srcnn_parameters)   # ex.q1.hint(), ex.q1.solution()

``q1``-``q4`` are the end-of-lesson exercises; ``c1``-``c3`` the short check-your-understanding
questions after the lesson's main sections (``answer = ...``, then ``ex.c1.check(answer)``).
Every exercise carries its reference answer (``ex.q1.answer()``) and examples of
wrong answers; ``tests/test_exercises_lessons_03_04.py`` checks both.

Taught in ``03_srcnn.ipynb``.
"""
from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np

from srlib._checks import check_positive_int
from srlib.exercises import Exercise, Result, function_check, one_of

__all__ = ["q1", "q2", "q3", "q4", "c1", "c2", "c3", "srcnn_parameters", "receptive_field", "srcnn_input",
           "loss_to_psnr"]




# --------------------------------------------------------------------------- reference answers
def srcnn_parameters(f1: int, f2: int, f3: int, n1: int = 64, n2: int = 32, channels: int = 1) -> int:
    """Number of weights and biases of SRCNN ``f1-f2-f3`` with ``n1``/``n2`` maps on ``channels`` channels.

    ``f1^2 c n1 + n1 + f2^2 n1 n2 + n2 + f3^2 n2 c + c``: 8,129 for 9-1-5 on Y,
    57,281 for 9-5-5.

    Parameters
    ----------
    f1, f2, f3 : int
        Kernel sizes of patch extraction, non-linear mapping and reconstruction.
    n1, n2 : int
        Feature maps of the first two layers.
    channels : int
        Input and output channels (1 for Y).

    Returns
    -------
    int

    Notes
    -----
    Taught in ``03_srcnn.ipynb``.
    """
    f1, f2, f3 = (check_positive_int(v, n) for v, n in ((f1, "f1"), (f2, "f2"), (f3, "f3")))
    n1, n2, c = check_positive_int(n1, "n1"), check_positive_int(n2, "n2"), check_positive_int(channels, "channels")
    return f1 * f1 * c * n1 + n1 + f2 * f2 * n1 * n2 + n2 + f3 * f3 * n2 * c + c


def receptive_field(kernel_sizes: Sequence[int]) -> int:
    """Width in pixels of the input region one output pixel of a stack of stride-1 convolutions sees.

    Each ``k x k`` layer widens it by ``k - 1``: ``1 + sum(k - 1)`` (13 for 9-1-5).

    Parameters
    ----------
    kernel_sizes : sequence of int
        Kernel sizes, first layer first.

    Returns
    -------
    int

    Notes
    -----
    Taught in ``03_srcnn.ipynb``.
    """
    if isinstance(kernel_sizes, (str, bytes)) or not isinstance(kernel_sizes, Sequence) or not kernel_sizes:
        raise ValueError(f"kernel_sizes must be a non-empty list of kernel sizes, got {kernel_sizes!r}")
    return 1 + sum(check_positive_int(k, "kernel size") - 1 for k in kernel_sizes)


def srcnn_input(hr: np.ndarray, scale: int) -> np.ndarray:
    """What SRCNN is fed for an HR image: the Y (float, [0, 1]) of the bicubic-upscaled protocol LR.

    Parameters
    ----------
    hr : ndarray
        ``uint8`` RGB HR image.
    scale : int
        Upscaling factor.

    Returns
    -------
    ndarray
        ``float32`` ``(H, W)`` of the modcropped HR size.

    Notes
    -----
    Same as :func:`srlib.inference.upscale_y` does before the network: the LR's
    Y (MATLAB BT.601), MATLAB-bicubic upscaled. Taught in ``03_srcnn.ipynb``.
    """
    from srlib.images import rgb_to_ycbcr, to_float
    from srlib.data import make_lr
    from srlib.resize import imresize

    lr = make_lr(np.asarray(hr), scale)
    y_lr = rgb_to_ycbcr(to_float(lr))[..., 0]
    return imresize(y_lr, int(scale), method="bicubic").astype(np.float32)


def loss_to_psnr(mse: float) -> float:
    """PSNR in dB of a mean squared error on images in [0, 1]: ``-10 log10(mse)``.

    Notes
    -----
    Taught in ``03_srcnn.ipynb``.
    """
    if isinstance(mse, bool) or not isinstance(mse, (int, float, np.integer, np.floating)) or not mse > 0:
        raise ValueError(f"mse must be a positive number, got {mse!r}")
    return -10.0 * math.log10(float(mse))


def _extend(outcome: Result, text: str) -> Result:
    """Append a diagnosis of a classic slip to a checker's message."""
    return Result(False, outcome.message.rstrip(". ") + ". " + text)


# --------------------------------------------------------------------------- q1
def _compare_parameters(result: Any, expected: Any) -> Result:
    if isinstance(result, bool) or not isinstance(result, (int, float, np.integer, np.floating)):
        return Result(False, f"it returned {type(result).__name__} {result!r:.40}, expected a whole number")
    if result == expected:
        return Result(True, "")
    return Result(False, f"it returned {result}, expected {expected}")


def _check_q1(answer: Any) -> Result:
    outcome = function_check(srcnn_parameters, [(9, 1, 5), (9, 5, 5), (9, 3, 5, 128, 64), (9, 1, 5, 64, 32, 3),
                                                (5, 1, 3, 16, 8, 2)], compare=_compare_parameters)(answer)
    if outcome.ok or not callable(answer):
        return outcome
    try:
        got = answer(9, 1, 5)
    except Exception:  # noqa: BLE001 - the message from function_check already says it raised
        return outcome
    if got == 9 * 9 * 64 + 64 * 32 + 5 * 5 * 32:
        return _extend(outcome, "That is the weights only: add one bias per filter (n1 + n2 + c).")
    return outcome


q1 = Exercise(
    "q1",
    checker=_check_q1,
    answer=srcnn_parameters,
    hint=["A k x k convolution from C_in to C_out channels has k*k*C_in*C_out weights and C_out biases.",
          "Layer 1: channels -> n1 (f1 x f1); layer 2: n1 -> n2 (f2 x f2); layer 3: n2 -> channels (f3 x f3)."],
    solution="def srcnn_parameters(f1, f2, f3, n1=64, n2=32, channels=1):\n"
             "    return (f1 * f1 * channels * n1 + n1      # patch extraction\n"
             "            + f2 * f2 * n1 * n2 + n2          # non-linear mapping\n"
             "            + f3 * f3 * n2 * channels + channels)  # reconstruction",
    explanation="8,129 for 9-1-5 and 57,281 for 9-5-5: the 5x5 mapping layer is where the extra capacity "
                "(and 7x the parameters) of the TPAMI network goes.",
    wrong=[lambda f1, f2, f3, n1=64, n2=32, channels=1: f1 * f1 * n1 + f2 * f2 * n1 * n2 + f3 * f3 * n2,
           lambda f1, f2, f3, n1=64, n2=32, channels=1: f1 * f1 * n1 + n1 + f2 * f2 * n1 * n2 + n2 + f3 * f3 * n2 + 1,
           8129],
)


# --------------------------------------------------------------------------- q2
def _check_q2(answer: Any) -> Result:
    outcome = function_check(receptive_field, [([9, 1, 5],), ([9, 5, 5],), ([3],), ([3, 3, 3],), ([5, 3, 3, 1],)],
                             compare=_compare_parameters)(answer)
    if outcome.ok or not callable(answer):
        return outcome
    try:
        got = answer([9, 1, 5])
    except Exception:  # noqa: BLE001
        return outcome
    if got == 15:
        return _extend(outcome, "Adding the kernel sizes counts the centre pixel once per layer: "
                                               "each layer adds k - 1")
    if got == 6:
        return _extend(outcome, "That is the radius (pixels on each side); the question asks "
                                               "for the full width, 2 * radius + 1")
    return outcome


q2 = Exercise(
    "q2",
    checker=_check_q2,
    answer=receptive_field,
    hint=["One 9x9 layer: each output pixel sees 9 input pixels in a row.",
          "A second layer of size k sees k outputs of the first, which together span (k - 1) more pixels."],
    solution="def receptive_field(kernel_sizes):\n"
             "    return 1 + sum(k - 1 for k in kernel_sizes)   # 13 for [9, 1, 5]",
    explanation="13 HR pixels, about 4 LR pixels at x3: SRCNN decides each pixel from a small neighbourhood. "
                "The radius, (13 - 1) / 2 = 6, is the overlap tiled inference needs (lesson 04).",
    wrong=[lambda sizes: sum(sizes), lambda sizes: (sum(sizes) - len(sizes)) // 2, 13],
)


# --------------------------------------------------------------------------- q3
def _q3_cases() -> list[tuple[np.ndarray, int]]:
    from srlib.data import default_images
    from srlib.patterns import siemens_star

    photo = default_images(size=60, names=["astronaut"])["astronaut"]
    return [(photo, 3), (photo, 2), (siemens_star(48), 4)]


def _compare_inputs(result: Any, expected: np.ndarray) -> Result:
    if result is None:
        return Result(False, "it returned None: did you forget `return`?")
    array = np.asarray(result)
    if not np.issubdtype(array.dtype, np.number):
        return Result(False, f"it returned an array of dtype {array.dtype}, expected float Y in [0, 1]")
    if array.ndim == 3 and array.shape[-1] == 1:
        array = array[..., 0]
    if array.ndim == 3 and array.shape[-1] == 3:
        return Result(False, "it returned three channels: SRCNN takes only the Y channel "
                             "(srlib.images.rgb_to_ycbcr(...)[..., 0])")
    if array.shape != expected.shape:
        small = tuple(s // max(1, round(expected.shape[0] / max(array.shape[0], 1))) for s in expected.shape)
        hint = " (that is the LR size: upscale it with bicubic first)" if array.shape == small else ""
        return Result(False, f"it returned shape {array.shape}, expected the HR shape {expected.shape}{hint}")
    values = array.astype(np.float64)
    if values.max() > 2.0:
        return Result(False, "its values go up to {:.0f}: use float Y in [0, 1] (srlib.images.to_float first)"
                      .format(values.max()))
    error = _rms(values, expected)
    if error < _Q3_TOLERANCE:
        return Result(True, "")
    return Result(False, f"it differs from SRCNN's input by {error * 255:.1f} grey levels (RMS)")


#: Largest RMS difference (on [0, 1]) accepted: bicubic of Y vs Y of the rounded bicubic RGB differ by rounding.
_Q3_TOLERANCE = 1.5 / 255.0


def _rms(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.sqrt(np.mean((np.asarray(a, np.float64) - np.asarray(b, np.float64)) ** 2)))


def _q3_slips(hr: np.ndarray, scale: int) -> list[tuple[np.ndarray, str]]:
    """What the classic slips of q3 return for ``hr``, each with its diagnosis."""
    from srlib.data.patches import make_lr
    from srlib.images import modcrop, rgb_to_ycbcr, to_float
    from srlib.upscale import upscale

    lr = make_lr(np.asarray(hr), scale)
    bicubic_rgb = to_float(upscale("bicubic", lr, scale)).astype(np.float64)
    use_y = "use images.rgb_to_ycbcr(images.to_float(rgb))[..., 0]"
    rgb_mean = ("That is the plain mean of R, G and B. SRCNN is fed the luma Y of MATLAB's rgb2ycbcr "
                f"(BT.601: 0.257 R + 0.504 G + 0.098 B + 16/255, so Y lies in 16..235 / 255): {use_y}")
    full_range = ("Those are the full-range luma weights (0.299 R + 0.587 G + 0.114 B, as in JPEG or PIL's "
                  "convert('L')); the protocol and the shipped weights use MATLAB's rgb2ycbcr, whose Y lies in "
                  f"16..235 / 255: {use_y}")
    hr_y = ("That is the Y of the HR image itself: SRCNN never sees it. Make the protocol LR (data.make_lr), "
            "upscale it with bicubic, then take Y")
    return [(bicubic_rgb.mean(axis=-1), rgb_mean),
            (bicubic_rgb @ np.array([0.299, 0.587, 0.114]), full_range),
            (rgb_to_ycbcr(to_float(modcrop(np.asarray(hr), scale)))[..., 0], hr_y)]


def _check_q3(answer: Any) -> Result:
    outcome = function_check(srcnn_input, _q3_cases, compare=_compare_inputs)(answer)
    if outcome.ok or not callable(answer):
        return outcome
    hr, scale = _q3_cases()[0]  # a colour photo at x3: every slip below gives a different array there
    try:
        got = np.asarray(answer(hr.copy(), scale), dtype=np.float64)
    except Exception:  # noqa: BLE001 - the message from function_check already says it raised
        return outcome
    if got.ndim == 3 and got.shape[-1] == 1:
        got = got[..., 0]
    distances = [(_rms(got, slip), diagnosis) for slip, diagnosis in _q3_slips(hr, scale) if got.shape == slip.shape]
    if distances and min(distances)[0] < _Q3_TOLERANCE:  # the closest slip (the RGB mean and full-range luma are near)
        return _extend(outcome, min(distances)[1])
    if "grey levels" in outcome.message:
        return _extend(outcome, "SRCNN's input takes three steps: the protocol LR (data.make_lr), bicubic "
                                "upscaling by `scale`, then the Y channel as float in [0, 1]")
    return outcome


q3 = Exercise(
    "q3",
    checker=_check_q3,
    answer=srcnn_input,
    hint=["Three steps: lr = data.make_lr(hr, scale); upscale it with bicubic; keep the Y channel as float.",
          "images.rgb_to_ycbcr(images.to_float(rgb))[..., 0] is Y in [0, 1] (16/255 .. 235/255)."],
    solution="def srcnn_input(hr, scale):\n"
             "    lr = data.make_lr(hr, scale)                            # protocol LR (uint8 RGB)\n"
             "    y_lr = images.rgb_to_ycbcr(images.to_float(lr))[..., 0]     # its luma, float in [0, 1]\n"
             "    return srlib.imresize(y_lr, scale).astype(np.float32)       # bicubic pre-upsampling\n"
             "# (Y of srlib.upscale('bicubic', lr, scale) is also accepted: it differs by rounding only)",
    explanation="The network never sees the LR pixels directly, only their bicubic interpolation: "
                "the scale is bicubic's job, sharpening is the network's.",
    wrong=[lambda hr, scale: _y_float(hr), lambda hr, scale: _y_float(hr) * 255.0,
           lambda hr, scale: _rgb_mean_input(hr, scale)],
)


def _rgb_mean_input(hr: np.ndarray, scale: int) -> np.ndarray:
    """The RGB slip of q3: the mean of R, G, B of the bicubic-upscaled LR instead of its Y."""
    from srlib.data.patches import make_lr
    from srlib.images import to_float
    from srlib.upscale import upscale

    return to_float(upscale("bicubic", make_lr(hr, scale), scale)).mean(axis=-1)


def _y_float(rgb: np.ndarray) -> np.ndarray:
    from srlib.images import modcrop, rgb_to_ycbcr, to_float

    return rgb_to_ycbcr(to_float(modcrop(rgb, 4)))[..., 0]


# --------------------------------------------------------------------------- q4
def _check_q4(answer: Any) -> Result:
    outcome = function_check(loss_to_psnr, [(1e-3,), (1e-4,), (2.5e-3,), (0.1,)], atol=1e-6, rtol=1e-9)(answer)
    if outcome.ok or not callable(answer):
        return outcome
    try:
        got = float(answer(1e-3))
    except Exception:  # noqa: BLE001
        return outcome
    if math.isclose(got, 10 * math.log10(255 ** 2 / 1e-3), rel_tol=1e-6):
        return _extend(outcome, "The loss is computed on Y in [0, 1], so the peak value is 1, "
                                               "not 255")
    if math.isclose(got, 20 * math.log10(1 / 1e-3), rel_tol=1e-6):
        return _extend(outcome, "You used the MSE as if it were the RMSE: PSNR = 10 log10(1 / MSE), "
                                "or 20 log10(1 / sqrt(MSE)); 20 log10 goes with the root of the MSE")
    if math.isclose(got, 10 * math.log10(1 / math.sqrt(1e-3)), rel_tol=1e-6):
        return _extend(outcome, "With the root of the MSE (the RMSE) the factor is 20: 20 log10(1 / RMSE), "
                                "which equals 10 log10(1 / MSE).")
    if math.isclose(got, 3.0, rel_tol=1e-6) or math.isclose(got, -30.0, rel_tol=1e-6):
        return _extend(outcome, "PSNR = 10 log10(peak^2 / MSE): mind the factor 10 and the sign")
    return outcome


q4 = Exercise(
    "q4",
    checker=_check_q4,
    answer=loss_to_psnr,
    hint=["PSNR = 10 * log10(peak**2 / MSE), and the peak is 1 for images in [0, 1]."],
    solution="import math\n"
             "def loss_to_psnr(mse):\n"
             "    return 10 * math.log10(1.0 / mse)   # 1e-3 -> 30 dB",
    explanation="A loss of 1e-3 is 30 dB; every halving of the loss adds 3 dB. Patch PSNR is not the "
                "protocol's PSNR (no border crop, no rounding to uint8), but it moves the same way.",
    wrong=[lambda mse: 10 * math.log10(255 ** 2 / mse), lambda mse: math.log10(1 / mse), 30.0,
           lambda mse: 20 * math.log10(1 / mse)],
)


# =========================================================================== check your understanding
# Short questions after the lesson's sections (c1 after section 2, c2 after 3, c3 after 4), checked
# like the exercises; the notebook cell holds `answer = ...` and `ex.cN.check(answer)`.

#: c1: the input batch shape fed to SRCNN 9-1-5 (batch, height, width, channels).
C1_INPUT_SHAPE: tuple[int, int, int, int] = (1, 99, 99, 1)
#: c3: the scale and the LR offset (y, x) of a patch.
C3_SCALE: int = 3
C3_OFFSET: tuple[int, int] = (5, 7)


def _as_int_tuple(answer: Any, length: int) -> tuple[int, ...] | None:
    if isinstance(answer, np.ndarray) or not isinstance(answer, (tuple, list)) or len(answer) != length:
        return None
    if not all(isinstance(v, (int, np.integer)) and not isinstance(v, bool) for v in answer):
        return None
    return tuple(int(v) for v in answer)


def _check_c1(answer: Any) -> Result:
    shape = _as_int_tuple(answer, 4)
    if shape is None:
        return Result(False, f"give a shape of four whole numbers (batch, height, width, channels), e.g. "
                             f"(1, 10, 10, 1); got {answer!r:.40}.")
    if shape == C1_INPUT_SHAPE:
        return Result(True, "")
    if shape == (1, 99 * 3, 99 * 3, 1):
        return Result(False, "SRCNN does not enlarge anything: its input is already the bicubic-upscaled image "
                             "(pre-upsampling), and every layer keeps the size.")
    if shape == (1, 99 - 12, 99 - 12, 1):
        return Result(False, "that would be 'valid' convolutions, as in the paper (each k x k layer loses k - 1 "
                             "pixels); the layers above use padding='same'.")
    if shape[-1] != 1:
        return Result(False, "the last layer has one filter: one output channel, the new Y.")
    return Result(False, f"{shape} is not it: what do padding='same' convolutions do to the height and width?")


c1 = Exercise(
    "c1",
    checker=_check_c1,
    answer=C1_INPUT_SHAPE,
    hint="Every layer is a stride-1 convolution with padding='same'; the last one has one filter.",
    solution="answer = (1, 99, 99, 1)  # or: tuple(my_srcnn(np.zeros((1, 99, 99, 1), np.float32)).shape)",
    explanation="Same size in and out: SRCNN sharpens the bicubic image, bicubic did the enlarging. That is "
                "also why one architecture serves every scale.",
    wrong=[(1, 297, 297, 1), (1, 87, 87, 1), (1, 99, 99, 32), (99, 99)],
)

c2 = Exercise(
    "c2",
    checker=one_of("b", options=("a", "b", "c"), feedback={
        "a": "Keras convolutions take any number of channels (models.srcnn(channels=3) exists); the choice is "
             "about where the error is.",
        "c": "Y, Cb and Cr all have the image's full size: YCbCr is the same pixels in other coordinates.",
    }),
    hint="Look at the per-channel PSNR of bicubic printed in section 3.",
    solution="answer = 'b'  # bicubic's Cb/Cr PSNR is far above its Y PSNR: the error, and the eye, are in Y",
    explanation="The network spends all its capacity where bicubic's error is and where the eye resolves "
                "detail; the published tables score Y only for the same reason.",
    wrong=["a", "c"],
)


def _check_c3(answer: Any) -> Result:
    offset = _as_int_tuple(answer, 2)
    if offset is None:
        return Result(False, f"give the HR offset as two whole numbers (y, x); got {answer!r:.40}.")
    expected = (C3_OFFSET[0] * C3_SCALE, C3_OFFSET[1] * C3_SCALE)
    if offset == expected:
        return Result(True, "")
    if offset == C3_OFFSET:
        return Result(False, "that is the LR offset: one LR pixel spans 3 HR pixels, so scale the offset.")
    if offset == expected[::-1]:
        return Result(False, "y and x are swapped: (y, x) = (row, column).")
    if offset == (C3_OFFSET[0] * C3_SCALE + 1, C3_OFFSET[1] * C3_SCALE + 1):
        return Result(False, "offsets start at 0: LR pixel 0 covers HR pixels 0, 1, 2, so LR pixel y starts at "
                             "HR pixel 3 y.")
    return Result(False, f"{offset} is not it: the HR crop that pairs with the LR crop at (y, x) starts at "
                         "(y * scale, x * scale).")


c3 = Exercise(
    "c3",
    checker=_check_c3,
    answer=(C3_OFFSET[0] * C3_SCALE, C3_OFFSET[1] * C3_SCALE),
    hint="Point 2 of section 4: the LR crop at (y, x) pairs with the HR crop at (y * s, x * s).",
    solution="answer = (5 * 3, 7 * 3)  # (15, 21)",
    explanation="Aligned to the scale, each LR pixel's HR block is exactly under it; a shift of even one "
                "pixel teaches the network to blur (section 4's check).",
    wrong=[(5, 7), (21, 15), (16, 22), (15.0, 21.0)],
)
