"""srlib's resize and SR networks beside the fastest peers that run here (issue: speed and an honest peak).

Not part of the course and never required by it: the peers are optional packages,

    pip install onnx onnxruntime opencv-python-headless
    python benchmarks/peers.py --json benchmarks/peers.json

* **resize**: ``srlib.resize.imresize`` (MATLAB bicubic, antialiased; numba threads, and one
  thread) and its NumPy/SciPy reference beside PIL's and OpenCV's bicubic (other semantics:
  PIL antialiases when shrinking, OpenCV's ``INTER_CUBIC`` does not, both use other weights and
  fixed-point arithmetic; timed as the speed a user would otherwise get);
* **networks**: the shipped SRCNN / FSRCNN / ESPCN as ``srlib.inference.run_model`` runs them
  (TensorFlow, the inference form of ``fast_inference_model``) beside ONNX Runtime running the same
  layers and weights, exported here layer by layer (the outputs are compared).

Every case is timed in turns (the tools rotated each round), warm, and the median is reported.
"""
from __future__ import annotations

import argparse
import json
import time
from collections.abc import Callable
from typing import Any

import numpy as np

RESIZE_CASES = [  # (input shape, scale): the cases, the study's and a workshop image
    ((512, 512, 3), 4), ((339, 510, 3), 4), ((128, 128, 3), 4), ((256, 256, 3), 2),
    ((512, 512, 3), 0.25), ((1356, 2040, 3), 0.25), ((64, 64, 3), 0.25),
]


def _turns(actions: dict[str, Callable[[], Any]], rounds: int) -> dict[str, float]:
    """Median milliseconds of each action, timed in turns (rotated order), after one warm call each."""
    for action in actions.values():
        action()
    times: dict[str, list[float]] = {name: [] for name in actions}
    names = list(actions)
    for turn in range(rounds):
        for name in names[turn % len(names):] + names[:turn % len(names)]:
            start = time.perf_counter()
            actions[name]()
            times[name].append(time.perf_counter() - start)
    return {name: 1000 * float(np.median(values)) for name, values in times.items()}


def resize_rows(rounds: int) -> list[dict[str, Any]]:
    import numba
    from PIL import Image

    from srlib.resize import imresize, imresize_reference

    try:
        import cv2
    except ImportError:
        cv2 = None
    rng = np.random.default_rng(0)
    rows = []
    threads = numba.get_num_threads()
    for shape, scale in RESIZE_CASES:
        image = rng.integers(0, 256, shape, dtype=np.uint8)
        size = (int(np.ceil(shape[1] * scale)), int(np.ceil(shape[0] * scale)))
        pil = Image.fromarray(image)

        def one_thread(image: np.ndarray = image, scale: float = scale) -> np.ndarray:
            numba.set_num_threads(1)
            try:
                return imresize(image, scale)
            finally:
                numba.set_num_threads(threads)

        actions: dict[str, Callable[[], Any]] = {
            "srlib": lambda image=image, scale=scale: imresize(image, scale),
            "srlib_1_thread": one_thread,
            "srlib_reference": lambda image=image, scale=scale: imresize_reference(image, scale),
            "pil": lambda pil=pil, size=size: pil.resize(size, Image.BICUBIC),
        }
        if cv2 is not None:
            actions["opencv"] = lambda image=image, size=size: cv2.resize(image, size, interpolation=cv2.INTER_CUBIC)
        timing = _turns(actions, rounds)
        rows.append({"input": list(shape), "scale": scale, "output": [size[1], size[0]], "ms": timing})
        print(f"resize {shape[0]}x{shape[1]} x{scale:g}: " + ", ".join(f"{k} {v:.2f} ms" for k, v in timing.items()),
              flush=True)
    return rows


def keras_to_onnx(model: Any) -> bytes:
    """The layers of a sequential srlib SR network (Conv2D 'same' + activation, PReLU,
    DepthToSpace) as an ONNX graph, NCHW; raises ValueError on any other layer."""
    import onnx
    from onnx import TensorProto, helper, numpy_helper

    nodes, inits = [], []
    current = "input"
    channels = int(model.inputs[0].shape[-1])
    for index, layer in enumerate(model.layers):
        kind = layer.__class__.__name__
        name = f"l{index}"
        if kind == "InputLayer":
            continue
        if kind == "Conv2D":
            kernel, bias = layer.get_weights()
            if layer.padding != "same" or tuple(layer.strides) != (1, 1) or kernel.shape[0] % 2 == 0:
                raise ValueError(f"layer {layer.name}: only stride-1 'same' convolutions with odd kernels")
            pad = kernel.shape[0] // 2
            inits += [numpy_helper.from_array(np.transpose(kernel, (3, 2, 0, 1)).copy(), f"{name}_w"),
                      numpy_helper.from_array(bias, f"{name}_b")]
            nodes.append(helper.make_node("Conv", [current, f"{name}_w", f"{name}_b"], [f"{name}_conv"],
                                          pads=[pad] * 4))
            current = f"{name}_conv"
            activation = layer.activation.__name__
            if activation in ("relu", "tanh"):
                nodes.append(helper.make_node(activation.capitalize(), [current], [f"{name}_act"]))
                current = f"{name}_act"
            elif activation != "linear":
                raise ValueError(f"layer {layer.name}: activation {activation!r} not exported")
            channels = kernel.shape[3]
        elif kind == "PReLU":
            (alpha,) = layer.get_weights()
            inits.append(numpy_helper.from_array(alpha.reshape(-1, 1, 1).astype(np.float32), f"{name}_a"))
            nodes.append(helper.make_node("PRelu", [current, f"{name}_a"], [f"{name}_prelu"]))
            current = f"{name}_prelu"
        elif kind == "DepthToSpace":
            block = int(layer.block_size)
            nodes.append(helper.make_node("DepthToSpace", [current], [f"{name}_d2s"], blocksize=block, mode="DCR"))
            current = f"{name}_d2s"  # DCR is TensorFlow's depth_to_space order
            channels //= block * block
        else:
            raise ValueError(f"layer {layer.name} ({kind}) is not exported")
    graph = helper.make_graph(nodes, "sr", [helper.make_tensor_value_info("input", TensorProto.FLOAT,
                                                                          [1, None, None, None])],
                              [helper.make_tensor_value_info(current, TensorProto.FLOAT, [1, channels, None, None])],
                              inits)
    onnx_model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    onnx.checker.check_model(onnx_model)
    return onnx_model.SerializeToString()


def network_rows(rounds: int, size: int) -> list[dict[str, Any]]:
    import onnxruntime

    from srlib import pretrained
    from srlib.inference import fast_inference_model, run_model
    from srlib.models import output_factor

    rng = np.random.default_rng(1)
    rows = []
    for name in ("srcnn", "fsrcnn", "espcn"):
        for scale in (2, 3, 4):
            model = pretrained.load(name, scale)
            fast = fast_inference_model(model)
            factor = output_factor(model)
            side = size * scale // factor  # SRCNN runs on the bicubic-upscaled image
            y = rng.random((side, side, 1), dtype=np.float32)
            session = onnxruntime.InferenceSession(keras_to_onnx(fast), providers=["CPUExecutionProvider"])
            nchw = np.ascontiguousarray(y.transpose(2, 0, 1)[None])
            ours = run_model(model, y)
            theirs = session.run(None, {"input": nchw})[0][0].transpose(1, 2, 0)
            difference = float(np.abs(ours - theirs).max())
            if difference > 1e-4:
                raise RuntimeError(f"{name} x{scale}: ONNX export differs from run_model by {difference}")
            timing = _turns({"srlib": lambda y=y, model=model: run_model(model, y),
                             "onnxruntime": lambda nchw=nchw, session=session: session.run(None, {"input": nchw})},
                            rounds)
            megapixels = (size * scale) ** 2 / 1e6
            per_mp = {key: value / megapixels for key, value in timing.items()}
            rows.append({"model": name, "scale": scale, "lr_input": [size, size], "ms_per_mp": per_mp,
                         "max_abs_difference": difference})
            print(f"{name} x{scale}: " + ", ".join(f"{k} {v:.1f} ms/MP" for k, v in per_mp.items())
                  + f" (outputs differ by {difference:.1e})", flush=True)
    return rows


def markdown(result: dict[str, Any]) -> str:
    lines = ["| resize (uint8 RGB, bicubic) | srlib | srlib, 1 thread | SciPy reference | PIL | OpenCV |",
             "| --- | ---: | ---: | ---: | ---: | ---: |"]
    for row in result["resize"]:
        ms = row["ms"]
        cells = [ms.get(k) for k in ("srlib", "srlib_1_thread", "srlib_reference", "pil", "opencv")]
        label = f"{row['input'][0]}x{row['input'][1]} -> {row['output'][0]}x{row['output'][1]}"
        lines.append(f"| {label} | " + " | ".join("-" if v is None else f"{v:.2f} ms" for v in cells) + " |")
    side = result["networks"][0]["lr_input"][0] if result["networks"] else 0
    lines += ["", f"| network (Y, LR {side}x{side}) | srlib (TensorFlow) ms/MP | ONNX Runtime ms/MP | ratio |",
              "| --- | ---: | ---: | ---: |"]
    for row in result["networks"]:
        ours, theirs = row["ms_per_mp"]["srlib"], row["ms_per_mp"]["onnxruntime"]
        lines.append(f"| {row['model']} x{row['scale']} | {ours:.1f} | {theirs:.1f} | {ours / theirs:.2f} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=9, help="timed turns per case (default 9)")
    parser.add_argument("--size", type=int, default=256, help="LR side for the networks (default 256)")
    parser.add_argument("--json", help="write the results here")
    args = parser.parse_args()
    from srlib.bench import _machine, matmul_peak_gflops

    result = {"machine": _machine(), "peak": matmul_peak_gflops(1024, repeats=10),
              "resize": resize_rows(args.rounds), "networks": network_rows(args.rounds, args.size),
              "statistic": f"median of {args.rounds} warm turns, tools rotated each turn, one process"}
    print(markdown(result))
    if args.json:
        with open(args.json, "w", encoding="utf-8") as handle:
            json.dump(result, handle, indent=1)
            handle.write("\n")


if __name__ == "__main__":
    main()
