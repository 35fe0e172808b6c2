"""Tests for srlib.niqe: NIQE (Mittal et al. 2013) with the published LIVE model.

Always run: a pinned value on a synthetic 1/f image (no licence needed), the model file,
the AGGD fit against known distributions, the documented crop semantics, and the trends
NIQE exists for (noise and blur raise it) on the offline default photographs. With
``../shared`` (or ``SRLIB_SHARED``) present, MATLAB's value on BasicSR's baboon.png too.
"""
from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest
from scipy import stats
from scipy.ndimage import gaussian_filter

from srlib import metrics
from srlib.data import default_images
from srlib.images import read_image, rgb_to_y, to_float
from srlib.niqe import BLOCK_SIZE, MIN_BLOCKS, _fit_aggd, _gaussian_window, niqe, pristine_model

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("SRLIB_SHARED", ROOT.parent / "shared"))
BABOON = SHARED / "reference" / "niqe" / "baboon.png"
MATLAB_BABOON = 5.72957338  # MATLAB R2021a on baboon.png (SOURCE.txt beside it; BasicSR's niqe.py)

# Pinned on this implementation (benchmarks/niqe_reference.json records it too). A different
# platform may move a fitted shape by one grid step (about 2e-4 here): 1e-3 still catches any
# change of method (the edge rule of the half-scale resize alone moves baboon by 1e-2).
SYNTHETIC_NIQE = 5.177658

PHOTOS = ("astronaut", "camera", "chelsea", "coffee", "coins", "grace_hopper")


def pink_noise_image(height: int = 192, width: int = 288, seed: int = 3, exponent: float = 1.2) -> np.ndarray:
    """A deterministic natural-like grey image: Gaussian noise with a 1/f**exponent amplitude spectrum."""
    rng = np.random.default_rng(seed)
    frequency = np.hypot(np.fft.fftfreq(height)[:, None], np.fft.rfftfreq(width)[None, :])
    frequency[0, 0] = 1.0
    spectrum = (rng.normal(size=frequency.shape) + 1j * rng.normal(size=frequency.shape)) / frequency ** exponent
    spectrum[0, 0] = 0.0
    field = np.fft.irfft2(spectrum, s=(height, width))
    return np.clip(np.round(128 + 45 * field / field.std()), 0, 255).astype(np.uint8)


def _noisy(image: np.ndarray, sigma: float, seed: int = 1) -> np.ndarray:
    noise = np.random.default_rng(seed).normal(0, sigma, image.shape)
    return np.clip(np.round(image + noise), 0, 255).astype(np.uint8)


def _blurred(image: np.ndarray, sigma: float) -> np.ndarray:
    sigmas = (sigma, sigma, 0) if image.ndim == 3 else sigma
    return np.clip(np.round(gaussian_filter(image.astype(np.float64), sigmas)), 0, 255).astype(np.uint8)


# ---------------------------------------------------------------- known values
def test_pinned_value_on_a_synthetic_image():
    assert niqe(pink_noise_image()) == pytest.approx(SYNTHETIC_NIQE, abs=1e-3)


@pytest.mark.skipif(not BABOON.is_file(), reason="needs ../shared/reference/niqe/baboon.png (research use only, "
                                                 "not shipped); set SRLIB_SHARED to its parent folder")
def test_reproduces_matlab_on_baboon():
    image = read_image(BABOON)
    assert image.shape == (480, 492, 3)
    assert niqe(image) == pytest.approx(MATLAB_BABOON, abs=1e-3)


def test_exported_from_metrics():
    assert metrics.niqe is niqe


# ---------------------------------------------------------------- the model and its pieces
def test_pristine_model_is_the_published_one():
    mean, covariance = pristine_model()
    assert mean.shape == (36,) and covariance.shape == (36, 36)
    assert np.allclose(covariance, covariance.T)
    assert np.all(np.linalg.eigvalsh(covariance) > 0)  # a proper covariance
    assert mean[0] == pytest.approx(2.60131368, abs=1e-8)  # shape of the MSCN fit at full scale
    assert mean[18] == pytest.approx(2.96949403, abs=1e-8)  # ... at half scale
    with pytest.raises(ValueError):
        mean[0] = 0.0  # read-only: a cached array nobody can corrupt


def test_window_matches_the_one_in_the_model_file():
    """fspecial('gaussian', 7, 7/6), computed here, equals the window BasicSR stored with the model."""
    from importlib import resources

    with resources.files("srlib").joinpath("niqe_data", "niqe_pris_params.npz").open("rb") as handle:
        stored = np.load(handle, allow_pickle=False)["gaussian_window"]
    window = _gaussian_window()
    assert np.allclose(np.outer(window, window), stored, rtol=0, atol=1e-15)


def test_model_notices_ship_beside_it():
    from importlib import resources

    folder = resources.files("srlib").joinpath("niqe_data")
    notice = folder.joinpath("NOTICE").read_text()
    assert "LIVE" in notice and "Austin" in notice and "Apache" in notice
    assert "Apache License" in folder.joinpath("LICENSE-basicsr.txt").read_text()


@pytest.mark.parametrize("shape_parameter", [0.8, 2.0, 4.0])
def test_aggd_fit_recovers_a_generalised_gaussian(shape_parameter):
    samples = stats.gennorm.rvs(shape_parameter, scale=1.5, size=(4, 200_000), random_state=7)
    shape, left, right = _fit_aggd(samples)
    assert np.allclose(shape, shape_parameter, rtol=0.05)
    assert np.allclose(left, 1.5, rtol=0.03) and np.allclose(right, 1.5, rtol=0.03)


def test_aggd_fit_sees_asymmetry():
    rng = np.random.default_rng(3)
    magnitude = np.abs(rng.standard_normal((1, 200_000)))
    # an AGGD's two halves hold mass in proportion to their scales: 1 : 3
    samples = np.where(rng.random(magnitude.shape) < 0.25, -1.0 * magnitude, 3.0 * magnitude)
    shape, left, right = _fit_aggd(samples)
    assert shape[0] == pytest.approx(2.0, rel=0.05)
    assert left[0] == pytest.approx(1.0 * np.sqrt(2), rel=0.03)  # AGGD scale = sqrt(2) * std for shape 2
    assert right[0] == pytest.approx(3.0 * np.sqrt(2), rel=0.03)


def test_aggd_fit_of_one_signed_data_gives_nan_scale():
    shape, left, right = _fit_aggd(np.abs(np.random.default_rng(0).normal(size=(1, 100))) + 0.1)
    assert np.isnan(left[0]) and right[0] > 0


# ---------------------------------------------------------------- documented semantics
def test_crop_border_is_a_crop_on_each_side():
    image = default_images(names=["astronaut"])["astronaut"]
    for border in (4, 13):
        assert niqe(image, crop_border=border) == niqe(image[border:-border, border:-border])
    assert niqe(image, crop_border=0) == niqe(image)


def test_only_whole_blocks_from_the_top_left_are_scored():
    image = pink_noise_image(200, 300)
    spoiled = image.copy()
    spoiled[2 * BLOCK_SIZE:] = 255  # beyond the last whole block row / column
    spoiled[:, 3 * BLOCK_SIZE:] = 0
    assert niqe(spoiled) == niqe(image) == niqe(image[:2 * BLOCK_SIZE, :3 * BLOCK_SIZE])


def test_input_forms_agree():
    rgb = default_images(names=["chelsea"])["chelsea"]
    luma = rgb_to_y(rgb)
    assert niqe(rgb) == niqe(luma) == niqe(luma[:, :, None])  # RGB is reduced to MATLAB's uint8 Y
    # float input is not rounded: the same image as float differs at rounding level only
    assert niqe(to_float(rgb)) == pytest.approx(niqe(rgb), abs=0.05)
    assert niqe(luma / 255.0) == pytest.approx(niqe(luma), abs=1e-3)


# ---------------------------------------------------------------- the trends NIQE is for
@pytest.mark.parametrize("name", PHOTOS)
def test_noise_and_blur_raise_niqe_on_photographs(name):
    image = default_images(names=[name])[name]
    clean = niqe(image)
    assert clean < 4.5  # sharp photographs are close to the pristine model
    noise = [niqe(_noisy(image, sigma)) for sigma in (5, 10, 20)]
    blur = [niqe(_blurred(image, sigma)) for sigma in (1, 2, 3)]
    assert clean < noise[0] < noise[1] < noise[2]
    assert clean < blur[0] < blur[1] < blur[2]


def test_noise_and_blur_raise_niqe_on_the_synthetic_image():
    image = pink_noise_image()
    clean = niqe(image)
    assert clean < niqe(_noisy(image, 10)) < niqe(_noisy(image, 20))
    assert clean < niqe(_blurred(image, 1)) < niqe(_blurred(image, 2))


def test_white_noise_is_far_from_natural():
    noise = np.random.default_rng(0).integers(0, 256, (192, 192), dtype=np.uint8)
    assert niqe(noise) > 2 * niqe(pink_noise_image())


# ---------------------------------------------------------------- bad input
def test_refuses_images_with_fewer_than_two_blocks():
    assert MIN_BLOCKS == 2
    niqe(pink_noise_image(BLOCK_SIZE, 2 * BLOCK_SIZE))  # two blocks: accepted
    for shape in [(BLOCK_SIZE, 2 * BLOCK_SIZE - 1), (BLOCK_SIZE - 1, 500), (150, 150), (64, 64, 3)]:
        image = np.zeros(shape, np.uint8)
        with pytest.raises(ValueError, match="at least 2 blocks of 96x96"):
            niqe(image)
    with pytest.raises(ValueError, match="after crop_border=1"):
        niqe(pink_noise_image(BLOCK_SIZE, 2 * BLOCK_SIZE), crop_border=1)


@pytest.mark.parametrize("border", [-1, 2.5, True, "4", None])
def test_refuses_a_bad_crop_border(border):
    with pytest.raises(ValueError, match="crop_border"):
        niqe(pink_noise_image(), crop_border=border)


def test_refuses_a_crop_border_that_leaves_nothing():
    with pytest.raises(ValueError, match="crop_border=96 leaves nothing"):
        niqe(pink_noise_image(), crop_border=96)


@pytest.mark.parametrize("image, message", [
    (np.zeros((192, 192), np.int32), "dtype int32"),
    (np.zeros((192, 192), bool), "dtype bool"),
    (np.zeros((192, 192, 4), np.uint8), "shape"),
    (np.zeros((192, 192, 3, 1), np.uint8), "shape"),
    (np.zeros(192 * 192, np.uint8), "shape"),
    (np.zeros((0, 192, 3), np.uint8), "empty"),
    (np.full((192, 192), 128.0), "looks like 0..255"),
    (np.full((192, 192, 3), np.nan), "NaN"),
])
def test_refuses_bad_images(image, message):
    with pytest.raises(ValueError, match=message):
        niqe(image)


def test_refuses_a_flat_image():
    with pytest.raises(ValueError, match="flat"):
        niqe(np.full((192, 288, 3), 77, np.uint8))


def test_pyproject_ships_the_model_folder():
    """Every file of srlib/niqe_data matches a package-data pattern, so wheels carry the model."""
    import fnmatch

    try:
        import tomllib
    except ImportError:  # pragma: no cover - Python 3.10
        tomllib = pytest.importorskip("tomli")
    patterns = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["package-data"]["srlib"]
    folder = ROOT / "srlib" / "niqe_data"
    files = [path.relative_to(ROOT / "srlib").as_posix() for path in folder.iterdir() if path.is_file()]
    assert {"niqe_data/niqe_pris_params.npz", "niqe_data/NOTICE", "niqe_data/LICENSE-basicsr.txt"} <= set(files)
    assert all(any(fnmatch.fnmatch(name, pattern) for pattern in patterns) for name in files), files
