"""Tests for the exercise framework (srlib.exercises): right answers pass, wrong ones explain why."""
from __future__ import annotations

import types

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from srlib.exercises import (CheckResult, Checker, Exercise, Result, all_of, array_close, close_to, equals,
                             exercises_in, function_check, one_of, satisfies, self_test)


def _message(exercise: Exercise, answer: object) -> str:
    result = exercise.check(answer, quiet=True)
    assert not result, f"{answer!r} should be rejected"
    return result.message


# --- Exercise -------------------------------------------------------------------------------

def test_check_prints_correct_with_the_explanation_and_returns_a_truthy_result(capsys: pytest.CaptureFixture) -> None:
    q1 = Exercise("q1", checker=close_to(33.66, atol=0.05), hint="use psnr", solution="psnr(hr, sr)",
                  explanation="Bicubic x3 on Set5.")
    result = q1.check(33.68)
    printed = capsys.readouterr().out
    assert "q1: Correct! Bicubic x3 on Set5." in printed
    assert result and result == True and isinstance(result, CheckResult)  # noqa: E712 - the documented comparison
    assert repr(result) == "CheckResult(ok=True)" and result.message in printed
    assert result._ipython_display_() is None  # shows nothing in a notebook


def test_a_wrong_answer_fails_with_a_useful_message_and_points_to_the_hint(capsys: pytest.CaptureFixture) -> None:
    q1 = Exercise("q1", checker=close_to(33.66, atol=0.05, unit="dB"), hint="use psnr", solution="psnr(hr, sr)")
    result = q1.check(31.0)
    printed = capsys.readouterr().out
    assert not result and result == False  # noqa: E712
    assert "q1: Not yet - 31 dB is too low (allowed error +-0.05 dB)." in printed
    assert "q1.hint()" in printed


@pytest.mark.parametrize("stub", [..., (..., 2), [1, ...]])
def test_an_unchanged_stub_asks_to_replace_the_dots(stub: object, capsys: pytest.CaptureFixture) -> None:
    q1 = Exercise("q1", checker=equals((1, 2)), hint="h", solution="(1, 2)")
    assert not q1.check(stub)
    assert "replace `...` with your answer" in capsys.readouterr().out


def test_hints_are_revealed_one_at_a_time_and_solution_prints_the_code(capsys: pytest.CaptureFixture) -> None:
    q = Exercise("q2", checker=equals(3), hint=["first", "second"], solution="""
        answer = 1 + 2
    """)
    assert q.hint() == "Hint (1/2): first\n(Run q2.hint() again for hint 2 of 2.)"
    assert q.hint() == "Hint (2/2): second\n(That was the last hint; q2.solution() shows a solution.)"
    assert q.hint() == "Hint (2/2): second\n(That was the last hint; q2.solution() shows a solution.)"
    assert q.solution() == "answer = 1 + 2"
    printed = capsys.readouterr().out
    assert "Solution:\nanswer = 1 + 2" in printed
    bare = Exercise("q3", checker=equals(3))
    assert "no hint" in bare.hint() and bare.solution() == ""
    assert "hint()" not in bare.check(4, quiet=True).message


def test_a_single_hint_says_it_is_the_only_one_instead_of_promising_another(capsys: pytest.CaptureFixture) -> None:
    q = Exercise("q1", checker=equals(3), hint="add one and two", solution="answer = 1 + 2")
    first, second = q.hint(), q.hint()
    assert first == second == "Hint: add one and two\n(This is the only hint; q1.solution() shows a solution.)"
    assert "again" not in first and "next" not in first
    assert first in capsys.readouterr().out


def test_answer_comes_from_the_checker_or_the_exercise() -> None:
    assert Exercise("a", checker=close_to(1.5)).answer() == 1.5
    calls = []

    def compute() -> float:
        calls.append(1)
        return 2.5

    lazy = Exercise("b", checker=close_to(lambda: 2.5, atol=0.01), answer_from=compute)
    assert calls == []  # nothing computed at import time
    assert lazy.answer() == 2.5 and lazy.answer() == 2.5 and calls == [1]
    assert lazy.check(lazy.answer(), quiet=True)

    def reference(x: float) -> float:
        return 2 * x

    given = Exercise("c", checker=function_check(reference, [1.0]), answer=reference)
    assert given.answer() is reference  # a function answer is never called by answer()
    with pytest.raises(ValueError, match="no reference answer"):
        Exercise("d", checker=lambda a: a == 1).answer()
    with pytest.raises(ValueError, match="not both"):
        Exercise("e", checker=equals(1), answer=1, answer_from=lambda: 1)


def test_plain_function_checkers_may_return_bool_tuple_or_raise_assertion() -> None:
    def by_assert(answer: int) -> bool:
        if not answer > 3:  # `assert` in a lesson module; written out here because pytest rewrites asserts
            raise AssertionError("must be bigger than 3")
        return True

    assert "must be bigger than 3." in _message(Exercise("a", checker=by_assert, answer=5), 2)
    assert Exercise("a", checker=by_assert).check(5, quiet=True)
    tuple_checker = Exercise("b", checker=lambda a: (a == "x", "the letter after w"))
    assert "the letter after w" in _message(tuple_checker, "y")
    assert "not the right answer" in _message(Exercise("c", checker=lambda a: a == 1), 2)
    # a checker that crashes on the learner's answer reports it instead of raising
    assert "raised TypeError" in _message(Exercise("d", checker=by_assert), "text")
    bad = Exercise("e", checker=lambda a: "yes")
    assert "must return Result" in _message(bad, 1)


def test_exercise_rejects_bad_definitions() -> None:
    with pytest.raises(ValueError, match="name"):
        Exercise("", checker=equals(1))
    with pytest.raises(ValueError, match="checker must be callable"):
        Exercise("q", checker=3)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="solution must be the solution code"):
        Exercise("q", checker=equals(1), solution=42)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="answer_from"):
        Exercise("q", checker=equals(1), answer_from=3)  # type: ignore[arg-type]


# --- checkers -------------------------------------------------------------------------------

def test_close_to_messages_name_type_direction_and_scale_slips() -> None:
    q = Exercise("q", checker=close_to(0.8, atol=0.01))
    assert q.check(0.805, quiet=True) and q.check(np.float32(0.8), quiet=True) and q.check(np.array(0.8), quiet=True)
    assert "expected a number, got str '0.8' (remove the quotes)" in _message(q, "0.8")
    assert "reduce it to one number" in _message(q, np.array([0.8, 0.8]))
    assert "expected a number, got bool True" in _message(q, True)
    assert "too high" in _message(q, 0.9) and "too low" in _message(q, 0.7)
    assert "100 times the right value: check percent vs fraction" in _message(q, 80.0)
    assert "0-255 vs 0-1" in _message(q, 0.8 * 255)
    assert "wrong sign" in _message(q, -0.8)
    assert "finite" in _message(q, float("nan"))
    relative = close_to(1000.0, rtol=0.01)
    assert relative(1009.0).ok and not relative(1011.0).ok
    assert close_to(1.0)(1.0 + 1e-9).ok and not close_to(1.0)(1.001).ok
    with pytest.raises(ValueError, match="atol"):
        close_to(1.0, atol=-1)


def test_equals_one_of_satisfies_all_of() -> None:
    assert equals((2, 3))([2, 3]).ok and not equals((2, 3))((3, 2)).ok
    assert "expected 2 items, got 1" in equals((2, 3))((2,)).message
    assert "expected a string" in equals("y")(1).message
    assert "expected a number" in equals(3)("3").message
    assert "expected True or False" in equals(True)(1).message

    choice = one_of("bicubic", options=["nearest", "bilinear", "bicubic"])
    assert choice("  BICUBIC ").ok and choice.expected == "bicubic"
    assert "not the right choice" in choice("bilinear").message
    assert "not one of the options" in choice("bicubc").message
    several = one_of(["b", "c"])
    assert several("c").ok and not several("a").ok and not several(np.zeros(2)).ok
    assert not one_of("Y", case_sensitive=True)("y").ok
    with pytest.raises(ValueError, match="not among the options"):
        one_of("lanczos", options=["nearest", "bicubic"])

    positive = satisfies(lambda a: a > 0, "must be positive", expected=1)
    with pytest.raises(ValueError, match="not among the options"):
        one_of(2, options=[np.arange(3), 1])  # an array option never matches a choice


def test_one_of_with_array_answers_does_not_crash() -> None:
    """A NumPy array (or other elementwise-comparing object) is a wrong choice, not a crash."""
    choice = one_of("bicubic", options=["nearest", "bilinear", "bicubic"])
    for answer in (np.zeros(2), np.array(["bicubic"]), np.array(["bicubic", "nearest"]), np.zeros((2, 2, 3))):
        result = choice(answer)
        assert not result.ok and "not one of the options" in result.message
    assert "single option" in choice(np.array(["bicubic"])).message
    assert not one_of(["b", "c"])(np.array(["b"])).ok, "a one-element array is not the choice itself"
    numbers = one_of(3, options=[2, 3, 4])
    assert numbers(np.int64(3)).ok and numbers(np.array(3)).ok and numbers(3.0).ok
    assert not numbers(np.array([3, 3])).ok and "not one of the options" in numbers(np.array([3, 3])).message

    class Weird:
        def __eq__(self, other: object) -> bool:
            raise RuntimeError("no comparison")

    assert not choice(Weird()).ok
    exercise = Exercise("q", checker=choice, hint="h", solution="'bicubic'")
    assert not exercise.check(np.arange(4), quiet=True)
    assert "raised" not in exercise.check(np.arange(4), quiet=True).message


def test_satisfies_all_of_more() -> None:
    positive = satisfies(lambda a: a > 0, "must be positive", expected=1)
    assert positive(2).ok and positive(-1).message == "must be positive" and positive.expected == 1
    both = all_of(close_to(2.0), satisfies(lambda a: isinstance(a, float), "give a float"))
    assert both(2.0).ok and both(2).message == "give a float" and both.expected == 2.0
    assert "too high" in both(3.0).message
    with pytest.raises(AttributeError, match="no reference answer"):
        all_of(satisfies(bool, "x")).expected


def test_array_close_reports_shape_dtype_and_values() -> None:
    target = np.zeros((4, 5, 3), np.uint8)
    q = Exercise("img", checker=array_close(target, check_dtype=True))
    assert q.check(target.copy(), quiet=True)
    assert "height and width swapped" in _message(q, np.zeros((5, 4, 3), np.uint8))
    assert "reshape or transpose" in _message(q, np.zeros((3, 4, 5), np.uint8))
    assert "dtype float64, expected uint8 (convert with srlib.to_uint8)" in _message(q, np.zeros((4, 5, 3)))
    changed = target.copy()
    changed[1, 2, 0] = 3
    assert "1 of 60 values differ (largest difference 3; first at index (1, 2, 0): 3 instead of 0)" in _message(q, changed)
    assert "None: did you forget" in _message(q, None)
    assert "expected an array of shape (4, 5, 3), got str" in _message(q, "image")
    loose = array_close([[1.0, 2.0]], atol=0.1)
    assert loose([[1.05, 2.0]]).ok and loose(np.array([[1.0, 2.0]], np.float32)).ok
    assert "NaN" in loose([[np.nan, 2.0]]).message
    assert "255 times" in array_close([0.5, 1.0])(np.array([127.5, 255.0])).message
    lazy_calls = []
    lazy = array_close(lambda: lazy_calls.append(1) or np.ones(2))
    assert lazy_calls == [] and lazy(np.ones(2)).ok and lazy(np.ones(2)).ok and lazy_calls == [1]


def test_function_check_calls_the_learners_function_on_each_case() -> None:
    def reference(image: np.ndarray, scale: int = 2) -> np.ndarray:
        return image[::scale, ::scale].copy()

    cases = [(np.arange(16.0).reshape(4, 4),), {"image": np.arange(36.0).reshape(6, 6), "scale": 3},
             ((np.ones((2, 2)),), {"scale": 1})]
    q = Exercise("q5", checker=function_check(reference, cases), hint="slicing", solution="image[::scale, ::scale]")
    assert q.answer() is reference and q.check(reference, quiet=True)

    def forgot_return(image: np.ndarray, scale: int = 2) -> None:
        image[::scale, ::scale]

    def wrong_offset(image: np.ndarray, scale: int = 2) -> np.ndarray:
        return image[1::scale, 1::scale]

    def in_place(image: np.ndarray, scale: int = 2) -> np.ndarray:
        image *= 0  # modifies its input: must not corrupt the reference's copy
        return image[::scale, ::scale]

    assert "forget `return`" in _message(q, forgot_return)
    assert "for input a NumPy array of shape (4, 4)" in _message(q, wrong_offset)
    assert "4 of 4 values differ" in _message(q, wrong_offset)
    assert "raised AttributeError" in _message(q, lambda image, scale=2: image.pixels)
    assert "raised TypeError" in _message(q, lambda image, scale=2, *, mode: image)
    assert "expected a function" in _message(q, reference(np.ones((2, 2))))
    assert "still returns `...`" in _message(q, lambda image, scale=2: ...)
    assert "values differ" in _message(q, in_place)

    scalar = function_check(lambda x: x * x, lambda: [1.0, 2.0, 3.0])
    assert scalar(lambda x: x ** 2).ok
    assert "for input float 2.0, it returned 4.5, expected 4" in scalar(lambda x: x * x + 0.5 * (x == 2)).message
    custom = function_check(len, ["abc"], compare=lambda result, expected: result == expected)
    assert custom(len).ok and not custom(lambda s: 0).ok
    with pytest.raises(ValueError, match="reference must be a function"):
        function_check(3, [1])  # type: ignore[arg-type]


def test_checker_objects() -> None:
    checker = Checker(lambda a: Result(a == 1, "not one"), expected=1, description="is one")
    assert checker.has_expected and checker.expected == 1 and "is one" in repr(checker)
    assert not Checker(lambda a: Result(True)).has_expected
    with pytest.raises(AttributeError):
        Checker(lambda a: Result(True)).expected


# --- self_test / exercises_in ---------------------------------------------------------------

def _lesson_module() -> types.ModuleType:
    module = types.ModuleType("srlib.exercises.lesson_fake")
    module.q1 = Exercise("q1", checker=close_to(33.66, atol=0.05), hint="h", solution="psnr()", wrong=[30.0, "33.66"])
    module.q2 = Exercise("q2", checker=one_of("bicubic"), hint="h", solution="'bicubic'", wrong=["nearest"])
    module.helper = 3
    return module


def test_self_test_runs_each_reference_answer_and_each_wrong_answer() -> None:
    module = _lesson_module()
    assert [q.name for q in exercises_in(module)] == ["q1", "q2"]
    assert self_test(module) == 2
    module.q3 = Exercise("q3", checker=close_to(1.0), hint="h", solution="1.0", wrong=[1.0])  # accepts a "wrong"
    module.q4 = Exercise("q4", checker=close_to(1.0), answer=2.0, hint="h", solution="2.0")  # rejects its answer
    module.q5 = Exercise("q5", checker=close_to(1.0))  # no hint, no solution
    module.q6 = Exercise("q6", checker=lambda a: True, hint="h", solution="x")  # no answer; accepts `...`? no
    with pytest.raises(AssertionError) as failure:
        self_test(module)
    text = str(failure.value)
    assert "q3: the wrong answer float 1.0 is accepted" in text
    assert "q4: the reference answer is rejected" in text
    assert "q5: no hint" in text and "q5: no solution code" in text
    assert "q6: answer() raised ValueError" in text
    assert self_test([module.q1]) == 1


@settings(max_examples=50, deadline=None)
@given(expected=st.floats(-1e6, 1e6, allow_nan=False), offset=st.floats(-10, 10, allow_nan=False),
       atol=st.floats(0.001, 5))
def test_property_close_to_accepts_exactly_the_answers_within_tolerance(expected: float, offset: float,
                                                                        atol: float) -> None:
    checker = close_to(expected, atol=atol)
    answer = expected + offset
    inside = abs(answer - expected) <= atol
    assume(abs(abs(answer - expected) - atol) > 1e-6 * max(1.0, abs(expected)))  # not on the rounding edge
    assert checker(answer).ok == inside
    assert checker(expected).ok


def test_one_of_feedback_explains_each_wrong_option_and_keeps_the_generic_messages() -> None:
    check = one_of("b", options=("a", "b", "c"), feedback={"a": "wider is not the reason"})
    assert check(" A ") == Result(False, "wider is not the reason")  # case and spaces ignored, as for choices
    assert check("b").ok
    assert check("c") == Result(False, "str 'c' is not the right choice.")
    assert "not one of the options" in check("z").message


@pytest.mark.parametrize("feedback, message", [
    ({"b": "why"}, "correct one"),
    ({"d": "why"}, "not among the options"),
    ({"a": ""}, "non-empty"),
])
def test_one_of_rejects_feedback_that_cannot_be_shown(feedback: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        one_of("b", options=("a", "b", "c"), feedback=feedback)
