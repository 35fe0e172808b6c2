"""What the run ran on (backend, accelerator, CPU), for the model card and the benchmark.

Taught in ``03_srcnn.ipynb``.
"""
from __future__ import annotations

import os
import platform
from typing import Any

__all__ = ["hardware_summary"]


def hardware_summary() -> dict[str, Any]:
    """Backend, accelerator and CPU names for the model card.

    Notes
    -----
    Taught in ``03_srcnn.ipynb``.
    """
    import keras

    backend = keras.backend.backend()
    info: dict[str, Any] = {"backend": backend, "keras": keras.__version__, "python": platform.python_version(),
                            "cpu": _cpu_name(), "cpu_count": os.cpu_count(), "accelerator": "none (CPU)"}
    try:
        if backend == "jax":
            import jax

            info["jax"] = jax.__version__
            devices = [d for d in jax.devices() if d.platform != "cpu"]
            if devices:
                info["accelerator"] = f"{len(devices)} x {devices[0].device_kind}"
        elif backend == "tensorflow":
            import tensorflow as tf

            info["tensorflow"] = tf.__version__
            gpus = tf.config.list_physical_devices("GPU")
            if gpus:
                details = tf.config.experimental.get_device_details(gpus[0])
                info["accelerator"] = f"{len(gpus)} x {details.get('device_name', 'GPU')}"
        elif backend == "torch":
            import torch

            info["torch"] = torch.__version__
            if torch.cuda.is_available():
                info["accelerator"] = f"{torch.cuda.device_count()} x {torch.cuda.get_device_name(0)}"
    except Exception as err:  # pragma: no cover - informational only
        info["accelerator_error"] = repr(err)
    return info


def _cpu_name() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as handle:
            for line in handle:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()
