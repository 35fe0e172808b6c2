"""Exercises of lessons 00-02: the right answer passes, wrong answers fail with a helpful message."""
from __future__ import annotations

import math

import numpy as np
import pytest

from srlib.exercises import Exercise, exercises_in, self_test
from srlib.exercises import lesson00, lesson01, lesson02

MODULES = {"lesson00": lesson00, "lesson01": lesson01, "lesson02": lesson02}
ALL = [(name, exercise) for name, module in MODULES.items() for exercise in exercises_in(module)]


@pytest.mark.parametrize("module", list(MODULES.values()), ids=list(MODULES))
def test_self_test_passes_and_each_lesson_has_three_or_more_exercises(module) -> None:
    assert self_test(module) >= 3


@pytest.mark.parametrize("exercise", [e for _, e in ALL], ids=[f"{m}.{e.name}" for m, e in ALL])
def test_reference_answer_passes_and_says_correct(exercise: Exercise, capsys) -> None:
    result = exercise.check(exercise.answer())
    assert result
    assert "Correct" in capsys.readouterr().out


@pytest.mark.parametrize("exercise", [e for _, e in ALL], ids=[f"{m}.{e.name}" for m, e in ALL])
def test_wrong_answers_fail_with_a_message(exercise: Exercise, capsys) -> None:
    assert exercise.wrong, f"{exercise.name} lists no wrong answers"
    for wrong in exercise.wrong:
        result = exercise.check(wrong)
        assert not result
        printed = capsys.readouterr().out
        assert "Not yet - " in printed and len(printed.split("Not yet - ", 1)[1].strip()) > 10


@pytest.mark.parametrize("exercise", [e for _, e in ALL], ids=[f"{m}.{e.name}" for m, e in ALL])
def test_stub_ellipsis_is_rejected_and_hint_and_solution_print(exercise: Exercise, capsys) -> None:
    assert not exercise.check(..., quiet=True)
    assert exercise.hint().startswith("Hint")
    assert exercise.solution()
    assert "Solution" in capsys.readouterr().out


@pytest.mark.parametrize("exercise", [e for _, e in ALL], ids=[f"{m}.{e.name}" for m, e in ALL])
def test_printed_solution_code_computes_an_accepted_answer(exercise: Exercise) -> None:
    """The solution the learner sees is real code: run it and check what it assigns to `answer`."""
    import srlib

    namespace = {"np": np, "srlib": srlib, "ex": MODULES[next(m for m, e in ALL if e is exercise)]}
    exec(exercise.solution_code, namespace)  # noqa: S102 - our own solution strings
    assert exercise.check(namespace["answer"], quiet=True), exercise.check(namespace["answer"], quiet=True).message


# ----------------------------------------------------------------------------- specific messages
def test_lesson00_messages_name_the_slip() -> None:
    assert "quick" in lesson00.q1.check(50, quiet=True).message
    assert "swapped" in lesson00.q2.check((480, 300), quiet=True).message
    assert "channels" in lesson00.q2.check((300, 480, 3), quiet=True).message
    assert "scale=3" in lesson00.q3.check(lesson00.exercise_image(), quiet=True).message
    nearest = srlib_upscale("nearest", lesson00.exercise_image(), 3)
    assert "'nearest'" in lesson00.q3.check(nearest, quiet=True).message
    assert "not one of the options" in lesson00.q4.check("bicubc", quiet=True).message


def srlib_upscale(method: str, image: np.ndarray, scale: int) -> np.ndarray:
    from srlib.upscale import upscale

    return upscale(method, image, scale)


def test_lesson01_helpers() -> None:
    assert lesson01.lr_nyquist(4) == 0.125
    assert lesson01.alias_frequency(0.4, 2) == pytest.approx(0.2)
    assert lesson01.alias_frequency(0.1, 2) == pytest.approx(0.2)  # below Nyquist: unchanged (per LR pixel)
    assert lesson01.alias_frequency(0.5, 2) == 0.0  # a 2-pixel period sampled every 2nd pixel: constant
    assert lesson01.overshooting_methods(4) == {"bicubic", "lanczos2", "lanczos3"}
    assert lesson01.q3.answer() == pytest.approx(-0.0625)
    for bad in (0, -1, "4", True):
        with pytest.raises(ValueError, match="scale must be a positive number"):
            lesson01.lr_nyquist(bad)
    with pytest.raises(ValueError, match="step"):
        lesson01.alias_frequency(0.2, 0)
    with pytest.raises(ValueError, match="frequency"):
        lesson01.alias_frequency(-0.2, 2)
    with pytest.raises(ValueError, match="scale"):
        lesson01.overshooting_methods(1)


def test_lesson01_messages_name_the_slip() -> None:
    assert "LR" in lesson01.q1.check(0.5, quiet=True).message
    assert "period" in lesson01.q1.check(8, quiet=True).message
    assert "fold" in lesson01.q2.check(0.8, quiet=True).message
    assert "wrong sign" in lesson01.q3.check(0.0625, quiet=True).message
    assert "stay(s) within" in lesson01.q4.check({"bicubic", "lanczos2", "lanczos3", "bilinear"}, quiet=True).message
    assert lesson01.q4.check(["Bicubic", "lanczos2", "LANCZOS3"], quiet=True)  # lists and any case work
    assert "not methods" in lesson01.q4.check({"cubic-spline"}, quiet=True).message


def test_lesson01_q4_accepts_what_the_lesson_taught() -> None:
    """The lesson shows five methods; srlib also has lanczos2. Both natural answers are right."""
    assert lesson01.q4.check({"bicubic", "lanczos3"}, quiet=True)
    with_lanczos2 = lesson01.q4.check({"bicubic", "lanczos2", "lanczos3"}, quiet=True)
    assert with_lanczos2 and "lanczos2" in with_lanczos2.message
    assert lesson01.overshooting_methods(4, lesson01.LESSON_METHODS) == {"bicubic", "lanczos3"}
    assert "missing" in lesson01.q4.check({"lanczos2", "lanczos3"}, quiet=True).message
    with pytest.raises(ValueError, match="unknown method"):
        lesson01.overshooting_methods(4, ["cubic"])


def test_lesson01_lesson_methods_are_the_notebooks_methods() -> None:
    """LESSON_METHODS is what lesson 01's first cell calls METHODS (q4 relies on it)."""
    import ast
    import json
    from pathlib import Path

    notebook = Path(__file__).resolve().parents[1] / "notebooks" / "01_interpolation_artifacts.ipynb"
    first = next(c for c in json.loads(notebook.read_text())["cells"] if c["cell_type"] == "code")
    tree = ast.parse("".join(line for line in first["source"] if not line.startswith("%")))
    values = [node.value for node in ast.walk(tree) if isinstance(node, ast.Assign)
              and any(isinstance(t, ast.Name) and t.id == "METHODS" for t in node.targets)]
    assert values and ast.literal_eval(values[0]) == lesson01.LESSON_METHODS


def test_lesson01_c2_premise_stripes_above_the_lr_nyquist_limit_vanish_with_antialias() -> None:
    from srlib.resize import imresize

    stripes = 0.5 + 0.5 * np.cos(2 * np.pi * np.arange(120) / 2.5)[None, :].repeat(32, axis=0)  # 0.4 cycles/px
    filtered = imresize(stripes, 1 / 2)[4:-4, 4:-4]
    unfiltered = imresize(stripes, 1 / 2, antialias=False)[4:-4, 4:-4]
    assert filtered.std() < 0.05 * stripes.std()  # (b) almost flat grey: under 5 % of the contrast is left
    assert unfiltered.std() > 0.3 * stripes.std()  # (c) is what antialias=False gives: false stripes
    assert lesson01.c2.check("b", quiet=True) and "antialias=False" in lesson01.c2.check("c", quiet=True).message


def test_lesson02_c1_is_the_protocol_lr_size() -> None:
    hr = np.zeros(lesson02.C1_SHAPE + (3,), np.uint8)
    assert lesson02.protocol_lr(hr, lesson02.C1_SCALE).shape[:2] == lesson02.c1.answer()
    assert "modcrop" in lesson02.c1.check((101, 151), quiet=True).message
    assert "swapped" in lesson02.c1.check((150, 100), quiet=True).message


def test_lesson02_helpers() -> None:
    assert lesson02.psnr_from_mse(100) == pytest.approx(28.1308, abs=1e-4)
    assert lesson02.psnr_from_mse(0.01, peak=1.0) == pytest.approx(20.0)
    for bad in (0, -3, math.inf, "1"):
        with pytest.raises(ValueError, match="mse"):
            lesson02.psnr_from_mse(bad)
    lr = lesson02.protocol_lr(lesson02.exercise_hr(), 3)
    assert lr.shape == (33, 33, 3) and lr.dtype == np.uint8


def test_lesson02_q2_recognises_common_mistakes() -> None:
    from srlib.resize import imresize

    hr = lesson02.exercise_hr()
    assert "modcrop" in lesson02.q2.check(imresize(hr, 1 / 3), quiet=True).message
    assert "antialias" in lesson02.q2.check(imresize(hr[:99, :99], 1 / 3, antialias=False), quiet=True).message
    assert "every 3rd pixel" in lesson02.q2.check(hr[1:99:3, 1:99:3], quiet=True).message
    assert "nearest" in lesson02.q2.check(hr[0:99:3, 0:99:3], quiet=True).message
    assert "uint8" in lesson02.q2.check(lesson02.q2.answer().astype(np.float32), quiet=True).message
    from PIL import Image

    pil = np.asarray(Image.fromarray(hr[:99, :99]).resize((33, 33), Image.BICUBIC))
    assert "MATLAB" in lesson02.q2.check(pil, quiet=True).message


def test_lesson02_q3_matches_the_measured_y_gain_on_a_grey_image() -> None:
    """The exercise's formula is what psnr() measures on a grey image (Y is rounded: within 0.05 dB)."""
    from srlib.metrics import psnr

    rng = np.random.default_rng(0)
    grey = rng.integers(20, 236, (64, 64), dtype=np.uint8)
    noisy = np.clip(grey.astype(int) + rng.integers(-12, 13, grey.shape), 0, 255).astype(np.uint8)
    reference, test = (np.repeat(a[:, :, None], 3, axis=2) for a in (grey, noisy))
    gain = psnr(reference, test, channel="y") - psnr(reference, test, channel="rgb")
    assert gain == pytest.approx(lesson02.q3.answer(), abs=0.05)


@pytest.mark.parametrize("exercise", [e for _, e in ALL], ids=[f"{m}.{e.name}" for m, e in ALL])
def test_odd_answers_get_a_message_not_a_crash(exercise: Exercise) -> None:
    for odd in (None, "text", 3.5, np.zeros(3), np.float32(0.125), [1, 2], {"a": 1}, True):
        result = exercise.check(odd, quiet=True)
        assert "raised" not in result.message, f"{exercise.name} crashed on {odd!r}: {result.message}"
