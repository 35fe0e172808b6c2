"""Tests for srlib._checks: the one set of validators and the JSON sanitiser."""
from __future__ import annotations

import json
import math
import os

import numpy as np
import pytest

from srlib._checks import (check_non_negative_int, check_output_file, check_positive_int, check_positive_number,
                           check_rng, check_scale, check_scales, check_unit_range, to_jsonable)


@pytest.mark.parametrize("value,expected", [(2, 2), (np.int64(3), 3), (4.0, 4), (np.float32(2), 2)])
def test_check_scale_accepts_integral_values(value, expected):
    assert check_scale(value) == expected and type(check_scale(value)) is int


@pytest.mark.parametrize("value", [True, 2.5, "3", None, float("nan"), float("inf"), [2]])
def test_check_scale_refuses_non_integers(value):
    with pytest.raises(ValueError, match="integer factor such as 2, 3 or 4"):
        check_scale(value)


def test_check_scale_minimum_and_supported():
    assert check_scale(1, minimum=1) == 1
    with pytest.raises(ValueError, match=r"integer factor >= 2"):
        check_scale(1)
    with pytest.raises(ValueError, match=r"must be one of \(2, 3, 4\), got 5"):
        check_scale(5, supported=(2, 3, 4))
    assert check_scales(3) == [3] and check_scales((2, 4)) == [2, 4]
    with pytest.raises(ValueError, match="scales is empty"):
        check_scales([])
    with pytest.raises(ValueError, match="every entry of scales"):
        check_scales([2, 1])
    with pytest.raises(ValueError, match="integer or a list"):
        check_scales("2")


def test_number_checks_refuse_bools_and_strings():
    with pytest.raises(ValueError, match="lr must be a finite number, got True"):
        check_positive_number(True, "lr")
    with pytest.raises(ValueError, match="min_std must be a finite number, got '0.1'"):
        check_positive_number("0.1", "min_std")
    with pytest.raises(ValueError, match="must be > 0"):
        check_positive_number(0.0, "lr")
    assert check_positive_number(0, "noise", allow_zero=True) == 0.0
    with pytest.raises(ValueError, match="positive integer"):
        check_positive_int(0, "steps")
    with pytest.raises(ValueError, match="non-negative integer"):
        check_non_negative_int(-5, "start")


def test_check_rng_and_unit_range():
    assert isinstance(check_rng(seed=1), np.random.Generator)
    with pytest.raises(ValueError, match="not both"):
        check_rng(np.random.default_rng(0), 1)
    with pytest.raises(ValueError, match="numpy.random.Generator"):
        check_rng(42)  # type: ignore[arg-type]
    assert check_unit_range(np.array([0.0, 1.0]), "x") == (0.0, 1.0)
    with pytest.raises(ValueError, match=r"x: float images must lie in \[0, 1\].*divide by 255"):
        check_unit_range(np.array([0.0, 200.0]), "x")


def test_to_jsonable_one_rule_for_non_finite_values():
    payload = {"psnr": float("inf"), "low": -math.inf, "nan": float("nan"), "arr": np.arange(2),
               "scalar": np.float32(0.5), 3: (1, 2.123456789)}
    clean = to_jsonable(payload, digits=3)
    assert clean == {"psnr": "inf", "low": "-inf", "nan": None, "arr": [0, 1], "scalar": 0.5, "3": [1, 2.123]}
    json.dumps(clean, allow_nan=False)


def test_check_output_file(tmp_path):
    assert check_output_file(tmp_path / "new" / "deeper" / "out.json", "--json") == tmp_path / "new/deeper/out.json"
    assert (tmp_path / "new" / "deeper").is_dir()
    with pytest.raises(ValueError, match="is a folder; give a file name"):
        check_output_file(tmp_path, "--json")
    (tmp_path / "file").write_text("x")
    with pytest.raises(ValueError, match="is a file, not a folder"):
        check_output_file(tmp_path / "file" / "out.json", "--json")
    if os.geteuid() != 0:  # root may write anywhere
        locked = tmp_path / "locked"
        locked.mkdir(mode=0o500)
        with pytest.raises(ValueError, match="not writable"):
            check_output_file(locked / "out.json", "--json")
