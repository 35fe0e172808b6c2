"""Degradations that turn an HR image into an LR image: the protocol's, the classic chain and random pipelines.

:func:`make_lr` is the clean degradation of the evaluation protocol - MATLAB bicubic
downscaling of the modcropped HR image - and the one definition of it: evaluation,
training patches and the lessons all call it. The classic synthetic degradation of the
SR literature is a chain

    HR --Gaussian blur--> --MATLAB bicubic downscaling--> --Gaussian noise--> --JPEG--> LR

(:func:`make_lr` is the downscaling step alone). :func:`degrade` runs the chain; :func:`gaussian_blur`,
:func:`add_noise` and :func:`jpeg` are its steps; :func:`resize_with` downscales with MATLAB's, PIL's or
TensorFlow's bicubic resizer to compare them.

Real-world degradations, each deterministic operation with a ``random_*`` twin that draws its
parameters from an explicit :class:`numpy.random.Generator` (BasicSR's ``degradations.py`` shape):

- kernels (``_kernels``): :func:`gaussian_kernel` (isotropic/anisotropic), :func:`generalized_gaussian_kernel`,
  :func:`plateau_kernel`, :func:`sinc_kernel` (ringing), :func:`make_kernel` (from a JSON-able spec),
  :func:`kernel_covariance`, :func:`blur`; twins :func:`random_gaussian_kernel`, ...,
  :func:`random_kernel` (Real-ESRGAN's mixture), :func:`random_blur`;
- other steps (``_ops``): :func:`random_resize` (random method and factor), :func:`random_gaussian_noise`
  (colour or grey), :func:`add_poisson_noise` / :func:`random_poisson_noise`, :func:`random_jpeg`;
- pipelines (``_pipelines``): :class:`ClassicalDegradation`, :class:`RealESRGANDegradation` (second order),
  :class:`BSRGANDegradation` (random shuffle) - frozen dataclasses callable as ``(hr, scale, rng) -> lr``
  with a public ``draw`` (the JSON-able plan) and ``apply``; :func:`get_degradation` by name;
  :func:`degradation_speed`;
- fixed degradations (``_fixed``): :func:`fixed_degradation` (one reproducible LR per image, seeded from
  the seed and the image's name), :func:`degraded_benchmark`, :func:`write_degraded_benchmark`;
- :func:`random_degrade_and_expand` (``_expand``): degradation-aware resolution augmentation for a
  classifier (random scale, degradation, expansion back to the input size).

All functions take and return ``uint8`` images of shape ``(H, W, 3)`` (or ``(H, W)``) and round
half away from zero, then clip to 0..255. TensorFlow is imported only by ``resize_with("tf", ...)``.

Taught in ``02_degradation_and_evaluation.ipynb`` (the protocol and the classic chain); the random
pipelines in ``06_degradations_and_augmentation.ipynb``.
"""
from __future__ import annotations

from srlib.data.degradations._basic import (LIBRARIES, add_noise, degrade, gaussian_blur, gaussian_noise_levels, jpeg,
                                            make_lr, resize_with)
from srlib.data.degradations._fixed import (DegradedImage, degraded_benchmark, fixed_degradation, image_generator,
                                            resolve_degradation, write_degraded_benchmark)
from srlib.data.degradations._expand import EXPAND_METHODS, random_degrade_and_expand
from srlib.data.degradations._kernels import (KERNEL_KINDS, KERNEL_PROBABILITIES, KERNEL_SIZES, blur,
                                              convolve_levels, gaussian_kernel, generalized_gaussian_kernel,
                                              kernel_covariance, make_kernel, plateau_kernel, random_blur,
                                              random_gaussian_kernel, random_generalized_gaussian_kernel,
                                              random_kernel, random_plateau_kernel, random_sinc_kernel, sinc_kernel)
from srlib.data.degradations._ops import (RESIZE_METHODS, add_poisson_noise, random_gaussian_noise, random_jpeg,
                                          random_poisson_noise, random_resize, resize_levels)
from srlib.data.degradations._pipelines import (DEGRADATION_NAMES, BSRGANDegradation, ClassicalDegradation,
                                                RandomDegradation, RealESRGANDegradation, apply_plan,
                                                degradation_speed, get_degradation)

__all__ = [
    # the protocol and the classic chain
    "LIBRARIES", "make_lr", "gaussian_blur", "add_noise", "jpeg", "degrade", "resize_with",
    # kernels
    "KERNEL_KINDS", "KERNEL_PROBABILITIES", "KERNEL_SIZES", "gaussian_kernel", "generalized_gaussian_kernel",
    "plateau_kernel", "sinc_kernel", "make_kernel", "kernel_covariance", "blur", "random_gaussian_kernel",
    "random_generalized_gaussian_kernel", "random_plateau_kernel", "random_sinc_kernel", "random_kernel",
    "random_blur",
    # resize, noise, JPEG
    "RESIZE_METHODS", "random_resize", "random_gaussian_noise", "add_poisson_noise", "random_poisson_noise",
    "random_jpeg",
    # pipelines
    "RandomDegradation", "ClassicalDegradation", "RealESRGANDegradation", "BSRGANDegradation",
    "DEGRADATION_NAMES", "get_degradation", "apply_plan", "degradation_speed",
    # fixed degradations (validation, degraded benchmarks)
    "DegradedImage", "resolve_degradation", "image_generator", "fixed_degradation", "degraded_benchmark",
    "write_degraded_benchmark",
    # classifier augmentation
    "EXPAND_METHODS", "random_degrade_and_expand",
    # building blocks of the pipelines (float grey levels)
    "convolve_levels", "resize_levels", "gaussian_noise_levels",
]
