"""Exercises of ``03_srcnn.ipynb``: parameters, receptive field, SRCNN's input, loss in dB.

Use in the notebook::

    from srlib.exercises import lesson03 as ex
    def srcnn_parameters(f1, f2, f3, n1=64, n2=32, channels=1):
        ...
    ex.q1.check(srcnn_parameters)   # ex.q1.hint(), ex.q1.solution()

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
from srlib.exercises import Exercise, Result, function_check

__all__ = ["q1", "q2", "q3", "q4", "srcnn_parameters", "receptive_field", "srcnn_input", "loss_to_psnr"]




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
    error = float(np.sqrt(np.mean((values - expected) ** 2)))
    if error < 1.5 / 255.0:  # bicubic of Y vs Y of the rounded bicubic RGB differ by rounding only
        return Result(True, "")
    return Result(False, f"it differs from SRCNN's input by {error * 255:.1f} grey levels (RMS); it should be "
                         "the bicubic-upscaled *LR* image (data.make_lr), not the HR image itself")


q3 = Exercise(
    "q3",
    checker=function_check(srcnn_input, _q3_cases, compare=_compare_inputs),
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
    wrong=[lambda hr, scale: _y_float(hr), lambda hr, scale: _y_float(hr) * 255.0],
)


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
    wrong=[lambda mse: 10 * math.log10(255 ** 2 / mse), lambda mse: math.log10(1 / mse), 30.0],
)
