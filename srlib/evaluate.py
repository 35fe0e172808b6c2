"""The evaluation protocol of the SR literature, always beside the bicubic baseline.

For every HR image and scale ``s``:

1. ``hr = modcrop(hr, s)`` (crop bottom/right to a multiple of ``s``);
2. ``lr = make_lr(hr, s)`` (:func:`srlib.data.make_lr`): MATLAB bicubic ``imresize(hr, 1 / s)``
   with antialiasing, ``uint8``;
3. ``sr = upscale(method, lr, s)`` (``uint8`` RGB, exactly ``hr``'s size);
4. PSNR and SSIM on MATLAB's Y channel (``uint8``, as ``rgb2ycbcr`` returns it),
   with a border of ``s`` pixels removed on each side.

Grayscale HR images (Set14's ``bridge.png``) are taken as the Y channel
directly - the convention of SRCNN's MATLAB code (``if size(im, 3) > 1,
im = rgb2ycbcr(im)``), which reproduces the published Set14 means; converting
gray to RGB and then to Y would compress the range to 16..235 and raise the
mean Set14 PSNR by about 0.08 dB. The gray LR goes to ``upscale`` as it is
(interpolation works on three equal channels, a model gets the gray level as
its luma) and the RGB result is mapped back to one channel (see
:func:`gray_from_rgb`).

Taught in ``02_degradation_and_evaluation.ipynb``.
"""
from __future__ import annotations

import os
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Iterable, Mapping, Sequence

import numpy as np

from srlib._checks import check_non_negative_int, check_scales, to_jsonable
from srlib.data import fixed_degradation, load_images, make_lr, resolve_degradation
from srlib.images import modcrop, rgb_to_y
from srlib.metrics import psnr, ssim
from srlib.resize import METHOD_ALIASES, imresize
from srlib.upscale import INTERPOLATION_METHODS, PRETRAINED_METHODS, method_name, upscale

__all__ = ["evaluate", "EvaluationResult", "ImageScore", "gray_from_rgb"]

INTERPOLATION_NAMES = frozenset(INTERPOLATION_METHODS) | frozenset(METHOD_ALIASES)


def _json6(value: float) -> float | str | None:
    return to_jsonable(float(value), digits=6)


@dataclass(frozen=True)
class ImageScore:
    """One row of the per-image table. Taught in ``02_degradation_and_evaluation.ipynb``."""

    image: str
    scale: int
    method: str
    psnr: float
    ssim: float
    baseline_psnr: float
    baseline_ssim: float

    @property
    def psnr_gain(self) -> float:
        """PSNR of the method minus PSNR of the baseline (dB)."""
        return self.psnr - self.baseline_psnr


@dataclass
class EvaluationResult:
    """Per-image scores of a method and its baseline, with means per scale.

    Attributes
    ----------
    method, baseline : str
        Names of the evaluated method and of the baseline (``"bicubic"``).
    rows : list of ImageScore
        One row per (image, scale), in evaluation order.
    dataset : str or None
        Name of the image set (folder name), when known.
    protocol : str
        ``"rgb"`` (the standard) or ``"y"`` (Y-only reference pipeline), see :func:`evaluate`.
    degradation, degradation_seed : str, int
        How the LR images were made: ``"bicubic"`` (the protocol) or a degraded benchmark's
        pipeline and seed (see :func:`evaluate`).

    Notes
    -----
    Taught in ``02_degradation_and_evaluation.ipynb``.
    """

    method: str
    baseline: str
    rows: list[ImageScore] = field(default_factory=list)
    dataset: str | None = None
    protocol: str = "rgb"
    degradation: str = "bicubic"
    degradation_seed: int = 0

    @property
    def scales(self) -> list[int]:
        """The evaluated scales, in order."""
        return sorted({row.scale for row in self.rows})

    def mean(self, scale: int | None = None) -> dict[str, float]:
        """Mean ``psnr``, ``ssim``, ``baseline_psnr``, ``baseline_ssim`` over the images.

        Parameters
        ----------
        scale : int, optional
            Only rows of this scale; required when several scales were evaluated.
        """
        if scale is None:
            if len(self.scales) != 1:
                raise ValueError(f"several scales were evaluated {self.scales}: pass scale=")
            scale = self.scales[0]
        rows = [row for row in self.rows if row.scale == scale]
        if not rows:
            raise ValueError(f"scale {scale!r} was not evaluated; evaluated scales: {self.scales}")
        keys = ("psnr", "ssim", "baseline_psnr", "baseline_ssim")
        return {key: float(np.mean([getattr(row, key) for row in rows])) for key in keys}

    @property
    def means(self) -> dict[int, dict[str, float]]:
        """``{scale: mean(scale)}`` for every evaluated scale."""
        return {scale: self.mean(scale) for scale in self.scales}

    def to_records(self) -> list[dict[str, Any]]:
        """One JSON-ready dictionary per (scale): dataset, scale, method, mean, baseline, images."""
        records = []
        for scale in self.scales:
            mean = self.mean(scale)
            records.append({
                "dataset": self.dataset,
                "scale": scale,
                "method": self.method,
                "protocol": self.protocol,
                "mean": {"psnr": _json6(mean["psnr"]), "ssim": _json6(mean["ssim"])},
                "baseline": {"method": self.baseline, "psnr": _json6(mean["baseline_psnr"]),
                             "ssim": _json6(mean["baseline_ssim"])},
                "images": [{key: _json6(value) if isinstance(value, float) else value
                            for key, value in asdict(row).items()}
                           for row in self.rows if row.scale == scale],
            })
            if self.degradation != "bicubic":  # clean records keep their old shape
                records[-1]["degradation"] = {"name": self.degradation, "seed": self.degradation_seed}
        return records

    def to_markdown(self, digits: int = 2) -> str:
        """Per-image Markdown table (method beside the baseline), with the means.

        When the method *is* the baseline (e.g. bicubic scored alone) its columns appear once.
        """
        alone = self.method == self.baseline
        names = [self.method] if alone else [self.baseline, self.method]
        header = "| image | scale | " + " | ".join(f"{name} PSNR | {name} SSIM" for name in names) + " |"
        lines = [header, "| --- | --- |" + " --- | --- |" * len(names)]

        def cells(pairs: list[tuple[float, float]]) -> str:
            return " | ".join(f"{p:.{digits}f} | {s:.4f}" for p, s in pairs[-len(names):])

        for row in self.rows:
            pairs = [(row.baseline_psnr, row.baseline_ssim), (row.psnr, row.ssim)]
            lines.append(f"| {row.image} | x{row.scale} | {cells(pairs)} |")
        for scale, mean in self.means.items():
            pairs = [(mean["baseline_psnr"], mean["baseline_ssim"]), (mean["psnr"], mean["ssim"])]
            lines.append(f"| **mean** | x{scale} | {cells(pairs)} |")
        return "\n".join(lines)

    def _repr_markdown_(self) -> str:  # Jupyter display
        return self.to_markdown()




def gray_from_rgb(image: np.ndarray) -> np.ndarray:
    """One gray channel back from an RGB result computed for a grayscale image.

    Equal channels (every interpolation) give that channel exactly. Otherwise the
    (unrounded) BT.601 Y is mapped back from 16..235 to 0..255 and rounded - the
    exact inverse for gray pixels, luma for coloured ones.

    Notes
    -----
    Taught in ``02_degradation_and_evaluation.ipynb``.
    """
    image = np.asarray(image)
    if image.ndim == 2:
        return image
    if np.array_equal(image[:, :, 0], image[:, :, 1]) and np.array_equal(image[:, :, 0], image[:, :, 2]):
        return image[:, :, 0].copy()
    y = rgb_to_y(image, rounded=False)
    gray = (y - 16.0) * (255.0 / 219.0)
    return np.clip(np.floor(gray + 0.5), 0, 255).astype(np.uint8)


def _y_protocol_sr(y_hr: np.ndarray, scale: int, method: Any) -> np.ndarray:
    """SRCNN's ``demo_SR.m``: float Y down with MATLAB imresize, up with ``method``, rounded once.

    ``method`` is an interpolation name, a shipped model's name (``"srcnn"``, ...) or a
    1-channel Keras model, which gets the float LR Y through
    :func:`srlib.inference.upscale_y` - exactly what the papers' test scripts feed it.
    """
    y = y_hr.astype(np.float64) / 255.0
    lr = imresize(y, 1.0 / scale, method="bicubic", antialias=True)
    if isinstance(method, str) and method.lower() in INTERPOLATION_NAMES:
        sr = imresize(lr, output_shape=y.shape, method=method.lower())
    else:
        from srlib.inference import upscale_y

        model = method
        if isinstance(method, str):
            from srlib import pretrained

            model = pretrained.load(method.lower(), scale)
        sr = upscale_y(model, lr.astype(np.float32), scale).astype(np.float64)
    return np.clip(np.floor(sr * 255.0 + 0.5), 0, 255).astype(np.uint8)




def _score(hr: np.ndarray, sr: np.ndarray, scale: int, name: str) -> tuple[float, float]:
    if hr.ndim == 2:
        sr = gray_from_rgb(sr)
    try:
        return (psnr(hr, sr, border=scale, channel="y"), ssim(hr, sr, border=scale, channel="y"))
    except ValueError as err:
        raise ValueError(f"image {name!r} at scale {scale}: {err}") from err


def evaluate(method: Any, hr_images: Mapping[str, np.ndarray] | str | os.PathLike | Iterable[str | os.PathLike],
             scales: int | Sequence[int] = (2, 3, 4), *, baseline: Any = "bicubic",
             dataset: str | None = None, protocol: str = "rgb", degradation: str | None = None,
             degradation_seed: int = 0, **upscale_kwargs: Any) -> EvaluationResult:
    """Score an upscaling method with the SR-literature protocol, beside a baseline.

    Parameters
    ----------
    method : str or keras.Model
        Anything :func:`srlib.upscale.upscale` accepts (``"bicubic"``, ``"srcnn"``, a model).
    hr_images : dict, folder, image file or list of folders and files
        High-resolution images, read by :func:`srlib.data.load_images` with grey images kept
        as ``(H, W)`` (names: the dict's keys or the file stems, folders in natural order).
    scales : int or sequence of int
        Integer factors >= 2.
    baseline : str or keras.Model
        Method scored beside ``method`` (default ``"bicubic"``).
    dataset : str, optional
        Name stored in the result; default: the folder name when ``hr_images`` is a folder.
    protocol : {"rgb", "y"}
        ``"rgb"`` (default): the protocol above - the LR is a ``uint8`` RGB image, as a
        model receives it. ``"y"``: SRCNN's ``demo_SR.m`` reference pipeline - the
        MATLAB Y channel (``uint8``) is resized as float in ``[0, 1]`` (LR not
        rounded), upscaled by the interpolation or the Y model, and the SR Y is
        rounded to ``uint8`` once (how the papers' tables were made).
        The published bicubic rows were made this way; ``"rgb"`` rounds the LR and
        the SR colour channels too and scores about 0.01-0.02 dB lower.
    degradation : str, optional
        ``None`` / ``"bicubic"``: the protocol's clean LR. A name in
        :data:`srlib.data.DEGRADATION_NAMES` (``"realesrgan"``, ``"classical"``, ``"bsrgan"``)
        scores a *degraded benchmark* instead: each modcropped HR image is degraded once by
        :func:`srlib.data.fixed_degradation` with ``degradation_seed`` and the image's name, so
        the same LR images come back on every machine (``rgb`` protocol only; lesson 06).
    degradation_seed : int
        Seed of the degraded benchmark (the README's tables use 0).
    **upscale_kwargs
        Passed to ``upscale`` for ``method`` (e.g. ``tile=``).

    Returns
    -------
    EvaluationResult
        ``rows`` (per image and scale: psnr, ssim, baseline_psnr, baseline_ssim) and
        ``mean(scale)`` / ``means``.

    Examples
    --------
    >>> import numpy as np
    >>> hr = {"noise": np.random.default_rng(0).integers(0, 256, (48, 48, 3), dtype=np.uint8)}
    >>> result = evaluate("bicubic", hr, scales=(2,))
    >>> result.rows[0].psnr == result.rows[0].baseline_psnr
    True

    Notes
    -----
    Taught in ``02_degradation_and_evaluation.ipynb``.
    """
    scale_list = check_scales(scales)
    if protocol not in ("rgb", "y"):
        raise ValueError(f"protocol must be 'rgb' or 'y', got {protocol!r}")
    if protocol == "y":
        for candidate in (method, baseline):
            if isinstance(candidate, str) and candidate.lower() not in INTERPOLATION_NAMES | set(PRETRAINED_METHODS):
                raise ValueError(f"protocol='y' supports interpolation methods {INTERPOLATION_METHODS}, shipped "
                                 f"models {PRETRAINED_METHODS} and 1-channel Keras models, got {candidate!r}")
        if upscale_kwargs:
            raise ValueError(f"protocol='y' takes no upscale arguments, got {sorted(upscale_kwargs)}")
    degradation_name = "bicubic" if degradation is None else str(degradation).lower()
    resolve_degradation(degradation_name)  # a ValueError naming the choices
    degradation_seed = check_non_negative_int(degradation_seed, "degradation_seed")
    if protocol == "y" and degradation_name != "bicubic":
        raise ValueError(f"degradation {degradation_name!r} needs protocol='rgb' (a degraded benchmark degrades the "
                         "RGB image); protocol='y' is the papers' clean Y pipeline")
    if dataset is None and isinstance(hr_images, (str, os.PathLike)) and Path(hr_images).is_dir():
        dataset = Path(hr_images).name
    images = load_images(hr_images, grayscale="keep", name="hr_images")
    name, baseline_name = method_name(method), method_name(baseline)
    same = method is baseline or (isinstance(method, str) and isinstance(baseline, str)
                                  and method.lower() == baseline.lower() and not upscale_kwargs)
    result = EvaluationResult(method=name, baseline=baseline_name, dataset=dataset, protocol=protocol,
                              degradation=degradation_name, degradation_seed=degradation_seed)
    for scale in scale_list:
        for image_name, image in images.items():
            try:
                hr = modcrop(image, scale)
            except ValueError as err:
                raise ValueError(f"image {image_name!r}: {err}") from err
            if protocol == "y":
                hr = hr if hr.ndim == 2 else rgb_to_y(hr)
                score = _score(hr, _y_protocol_sr(hr, scale, method), scale, image_name)
                base = score if same else _score(hr, _y_protocol_sr(hr, scale, baseline), scale, image_name)
            else:
                lr = make_lr(hr, scale) if degradation_name == "bicubic" else fixed_degradation(
                    hr, scale, degradation_name, seed=degradation_seed, name=image_name).lr
                sr = upscale(method, lr, scale, **upscale_kwargs)
                score = _score(hr, sr, scale, image_name)
                base = score if same else _score(hr, upscale(baseline, lr, scale), scale, image_name)
            result.rows.append(ImageScore(image=image_name, scale=scale, method=name, psnr=score[0],
                                          ssim=score[1], baseline_psnr=base[0], baseline_ssim=base[1]))
    return result
