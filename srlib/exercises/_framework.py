"""Exercise checkers in the style of Kaggle Learn: ``q1.check(answer)``, ``q1.hint()``, ``q1.solution()``.

Each lesson has a module here (``srlib.exercises.lesson01``, ...) that defines its
exercises with :class:`Exercise` and the checker builders below::

    from srlib.exercises import Exercise, close_to

    q1 = Exercise(
        "q1",
        checker=close_to(33.66, atol=0.05),
        hint="Use srlib.psnr with border=scale and channel='y'.",
        solution="answer = psnr(hr, upscale('bicubic', lr, 3), border=3)",
        explanation="That is the published bicubic PSNR on Set5 at x3.",
        wrong=[30.0, "33.66"],  # examples a test checks are rejected
    )

and the notebook does::

    from srlib.exercises import lesson01 as ex
    answer = ...          # the learner replaces ...
    ex.q1.check(answer)   # prints "Correct" or what is wrong
    # ex.q1.hint()
    # ex.q1.solution()

One source of truth: the reference answer (:meth:`Exercise.answer`) is what the
tests feed to :meth:`Exercise.check`, together with the ``wrong`` examples, via
:func:`self_test`.

Checker builders: :func:`close_to` (a number), :func:`equals` (exact value),
:func:`one_of` (multiple choice), :func:`array_close` (an array: type, shape,
dtype, values), :func:`function_check` (a learner's function called on test
inputs and compared with a reference function), :func:`satisfies` (any
predicate) and :func:`all_of`. A checker is any callable ``answer -> Result``;
plain functions may also return ``bool`` or ``(bool, message)`` or raise
``AssertionError(message)``.

Taught in ``00_start_here.ipynb``.
"""
from __future__ import annotations

import math
import numbers
import textwrap
from dataclasses import dataclass
from types import ModuleType
from typing import Any, Callable, Iterable, Mapping, Sequence

import numpy as np

__all__ = ["Exercise", "Result", "CheckResult", "Checker", "close_to", "equals", "one_of", "array_close",
           "function_check", "satisfies", "all_of", "exercises_in", "self_test", "whole_number"]

_MISSING: Any = object()


@dataclass(frozen=True)
class Result:
    """What a checker returns: ``ok`` and a message for the learner (why it is wrong, or why it is right)."""

    ok: bool
    message: str = ""


class CheckResult:
    """Returned by :meth:`Exercise.check`: truthy when correct, invisible in a notebook.

    ``bool(result)`` (or ``result.ok``) says whether the answer was right and
    ``result.message`` is what was printed; ``result == True`` works too. The
    notebook shows nothing for it (the message was already printed), so a
    check cell ends without a stray ``True``. Use ``assert q1.check(a)``, not
    ``is True``.
    """

    __slots__ = ("ok", "message")

    def __init__(self, ok: bool, message: str) -> None:
        self.ok = bool(ok)
        self.message = message

    def __bool__(self) -> bool:
        return self.ok

    def __eq__(self, other: object) -> bool:
        if isinstance(other, CheckResult):
            return self.ok == other.ok
        if isinstance(other, (bool, np.bool_)):
            return self.ok == bool(other)
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self.ok)

    def __repr__(self) -> str:
        return f"CheckResult(ok={self.ok})"

    def _ipython_display_(self) -> None:  # the message is already printed
        pass


class Checker:
    """A named checking function with an optional reference answer (``expected``).

    Parameters
    ----------
    function : callable
        ``answer -> Result``.
    expected : object or callable
        The reference answer, or a zero-argument callable computing it (called
        lazily, once). Used by :meth:`Exercise.answer` when the exercise has none.
    description : str
        Short text for ``repr``.
    """

    def __init__(self, function: Callable[[Any], Result], expected: Any = _MISSING, description: str = "") -> None:
        self._function = function
        self._expected = expected
        self._resolved = False
        self.description = description

    @property
    def has_expected(self) -> bool:
        """True when the checker carries a reference answer (see :attr:`expected`)."""
        return self._expected is not _MISSING

    @property
    def expected(self) -> Any:
        """The reference answer (computed on first access when given as a callable)."""
        if self._expected is _MISSING:
            raise AttributeError("this checker has no reference answer; give Exercise(..., answer=...)")
        return self._expected

    def __call__(self, answer: Any) -> Result:
        return self._function(answer)

    def __repr__(self) -> str:
        return f"Checker({self.description})"


def _lazy(value: Any) -> Callable[[], Any]:
    """A zero-argument callable giving ``value`` (computed once if ``value`` is callable)."""
    cache: list[Any] = []

    def get() -> Any:
        if not cache:
            cache.append(value() if callable(value) and not isinstance(value, np.ndarray) else value)
        return cache[0]
    return get


class _LazyChecker(Checker):
    def __init__(self, function: Callable[[Any, Any], Result], expected: Any, description: str) -> None:
        self._get = _lazy(expected)
        super().__init__(lambda answer: function(answer, self._get()), expected, description)

    @property
    def expected(self) -> Any:
        return self._get()


def _describe(value: Any, limit: int = 60) -> str:
    """A short description of a value for messages: type, and the value or the shape."""
    if isinstance(value, np.ndarray):
        return f"a NumPy array of shape {value.shape} and dtype {value.dtype}"
    if hasattr(value, "shape") and hasattr(value, "dtype"):
        return f"a {type(value).__name__} of shape {tuple(value.shape)} and dtype {value.dtype}"
    text = repr(value)
    if len(text) > limit:
        text = text[: limit - 3] + "..."
    return f"{type(value).__name__} {text}"


def _is_number(value: Any) -> bool:
    if isinstance(value, (bool, np.bool_)):
        return False
    if isinstance(value, numbers.Real):
        return True
    return isinstance(value, np.ndarray) and value.ndim == 0 and np.issubdtype(value.dtype, np.number)


def _format(number: float) -> str:
    return f"{number:.6g}"


def _scale_hint(answer: float, expected: float) -> str:
    """Spot the classic slips: percent vs fraction, 0-255 vs 0-1, sign, dB vs ratio."""
    if expected == 0 or answer == 0:
        return ""
    ratio = answer / expected
    if math.isclose(ratio, -1.0, rel_tol=0.02):
        return " It has the right size but the wrong sign."
    for factor, why in ((100.0, "percent vs fraction"), (255.0, "a 0-255 vs 0-1 scale")):
        if math.isclose(ratio, factor, rel_tol=0.02):
            return f" It is about {_format(factor)} times the right value: check {why}."
        if math.isclose(ratio, 1.0 / factor, rel_tol=0.02):
            return f" It is about 1/{_format(factor)} of the right value: check {why}."
    return ""


def whole_number(answer: Any) -> int | None:
    """``answer`` as an ``int`` when it is a whole number (``4`` or ``4.0``, not ``True`` or ``"4"``), else None.

    Taught in ``00_start_here.ipynb``.
    """
    if isinstance(answer, bool) or not isinstance(answer, (int, float, np.integer, np.floating)):
        return None
    value = float(answer)
    return int(value) if value.is_integer() else None


def close_to(expected: Any, *, atol: float | None = None, rtol: float | None = None, unit: str = "") -> Checker:
    """Checker for a single number: correct when ``|answer - expected| <= atol + rtol * |expected|``.

    Parameters
    ----------
    expected : float or callable
        The right value, or a zero-argument callable computing it (e.g. from the
        lesson's data; evaluated on first use).
    atol, rtol : float or None
        Absolute and relative tolerance (>= 0). A missing one counts as 0; with
        neither given, ``rtol=1e-6``.
    unit : str
        Appended to numbers in messages (``"dB"``).

    Returns
    -------
    Checker
        Its message says "too high" or "too low" and spots a factor of 100 or 255
        or a flipped sign; a non-number gets "expected a number, got str '...'".

    Notes
    -----
    Taught in ``00_start_here.ipynb``.
    """
    if atol is None and rtol is None:
        rtol = 1e-6
    atol = 0.0 if atol is None else atol
    rtol = 0.0 if rtol is None else rtol
    if not (isinstance(atol, numbers.Real) and atol >= 0 and isinstance(rtol, numbers.Real) and rtol >= 0):
        raise ValueError(f"atol and rtol must be non-negative numbers, got atol={atol!r}, rtol={rtol!r}")
    suffix = f" {unit}" if unit else ""

    def check(answer: Any, target: Any) -> Result:
        if not _is_number(answer):
            extra = ""
            if isinstance(answer, str):
                extra = " (remove the quotes)"
            elif isinstance(answer, np.ndarray) or isinstance(answer, (list, tuple)):
                extra = " (reduce it to one number, e.g. with .mean() or float(...))"
            return Result(False, f"expected a number, got {_describe(answer)}{extra}.")
        value, goal = float(answer), float(target)
        if not math.isfinite(value):
            return Result(False, f"your answer is {value}; expected a finite number.")
        tolerance = atol + rtol * abs(goal)
        difference = value - goal
        if abs(difference) <= tolerance:
            return Result(True, "")
        direction = "too high" if difference > 0 else "too low"
        return Result(False, f"{_format(value)}{suffix} is {direction} (allowed error +-{_format(tolerance)}"
                             f"{suffix}).{_scale_hint(value, goal)}")

    return _LazyChecker(check, expected, f"close_to(atol={atol}, rtol={rtol})")


def _normalise_choice(value: Any, case_sensitive: bool) -> Any:
    if isinstance(value, str):
        value = " ".join(value.split())
        return value if case_sensitive else value.lower()
    return value


def equals(expected: Any) -> Checker:
    """Checker for an exact value (int, str, tuple, bool, ...): ``answer == expected``.

    A string answer for a number (``"3"`` for ``3``) or an int for a string gets a
    type message. Use :func:`close_to` for floats and :func:`array_close` for arrays.

    Notes
    -----
    Taught in ``00_start_here.ipynb``.
    """

    def check(answer: Any, target: Any) -> Result:
        if isinstance(target, (bool, np.bool_)) and not isinstance(answer, (bool, np.bool_)):
            return Result(False, f"expected True or False, got {_describe(answer)}.")
        if _is_number(target) and not _is_number(answer):
            return Result(False, f"expected a number, got {_describe(answer)}.")
        if isinstance(target, str) and not isinstance(answer, str):
            return Result(False, f"expected a string (text in quotes), got {_describe(answer)}.")
        if isinstance(target, (tuple, list)) and isinstance(answer, (tuple, list)) and len(answer) != len(target):
            return Result(False, f"expected {len(target)} items, got {len(answer)}.")
        if isinstance(target, (tuple, list)) and isinstance(answer, (tuple, list)):
            answer, target = list(answer), list(target)  # a list for a tuple is fine
        try:
            same = bool(answer == target)
        except (ValueError, TypeError):
            same = False
        return Result(same, "" if same else f"{_describe(answer)} is not the right answer.")

    return _LazyChecker(check, expected, "equals")


def _same_choice(answer: Any, choice: Any) -> bool:
    """``answer == choice`` as one bool; False when the comparison fails or is elementwise (arrays)."""
    try:
        result = answer == choice
    except Exception:  # noqa: BLE001 - a learner's object may raise anything from __eq__
        return False
    return bool(result) if isinstance(result, (bool, np.bool_)) else False


def one_of(correct: Any, *, options: Iterable[Any] | None = None, case_sensitive: bool = False,
           feedback: Mapping[Any, str] | None = None) -> Checker:
    """Checker for a multiple-choice answer.

    Parameters
    ----------
    correct : object or collection
        The right choice, or a list/tuple/set of choices that are all accepted.
    options : iterable or None
        All the choices offered; an answer outside them gets "not one of the
        options" (a typo) instead of "wrong".
    case_sensitive : bool
        Strings are compared ignoring case and extra spaces unless True.
    feedback : mapping, optional
        ``{wrong option: why it is wrong}``: the message for a learner who picks it
        (a check-your-understanding question explains each distractor). Keys must be
        among ``options`` (when given) and must not be correct choices.

    Examples
    --------
    >>> check = one_of("b", options="abc", feedback={"a": "support alone cannot overshoot"})
    >>> check("A").message
    'support alone cannot overshoot'

    Notes
    -----
    Taught in ``00_start_here.ipynb``.
    """
    accepted = list(correct) if isinstance(correct, (list, tuple, set, frozenset)) else [correct]
    if not accepted:
        raise ValueError("one_of needs at least one correct choice")
    offered = None if options is None else list(options)
    if offered is not None:
        missing = [c for c in accepted if not any(_same_choice(_normalise_choice(c, case_sensitive),
                                                               _normalise_choice(o, case_sensitive)) for o in offered)]
        if missing:
            raise ValueError(f"correct choice(s) {missing} are not among the options {offered}")
    normalised = [_normalise_choice(c, case_sensitive) for c in accepted]
    offered_normalised = None if offered is None else [_normalise_choice(o, case_sensitive) for o in offered]
    explained: list[tuple[Any, str]] = []
    for option, message in (feedback or {}).items():
        key = _normalise_choice(option, case_sensitive)
        if any(_same_choice(key, choice) for choice in normalised):
            raise ValueError(f"feedback is for wrong choices, but {option!r} is a correct one")
        if offered_normalised is not None and not any(_same_choice(key, o) for o in offered_normalised):
            raise ValueError(f"feedback option {option!r} is not among the options {offered}")
        if not isinstance(message, str) or not message.strip():
            raise ValueError(f"feedback for {option!r} must be a non-empty message, got {message!r}")
        explained.append((key, message))

    def check(answer: Any) -> Result:
        key = _normalise_choice(answer, case_sensitive)
        if any(_same_choice(key, choice) for choice in normalised):
            return Result(True, "")
        for option, message in explained:
            if _same_choice(key, option):
                return Result(False, message)
        if offered_normalised is not None and not any(_same_choice(key, o) for o in offered_normalised):
            extra = " (pick a single option, not an array)" if isinstance(answer, np.ndarray) and answer.ndim else ""
            return Result(False, f"{_describe(answer)} is not one of the options: "
                                 f"{', '.join(repr(o) for o in offered)}{extra}.")
        return Result(False, f"{_describe(answer)} is not the right choice.")

    return Checker(check, accepted[0], f"one_of({accepted!r})")


def _compare_arrays(answer: Any, target: Any, *, atol: float, rtol: float, check_dtype: bool,
                    what: str = "your array") -> Result:
    target = np.asarray(target)
    if answer is None:
        return Result(False, f"{what} is None: did you forget to return or assign the result?")
    if not (isinstance(answer, np.ndarray) or hasattr(answer, "__array__")):
        if isinstance(answer, (list, tuple)):
            answer_array = np.asarray(answer)
        else:
            return Result(False, f"expected an array of shape {target.shape}, got {_describe(answer)}.")
    else:
        answer_array = np.asarray(answer)
    if answer_array.shape != target.shape:
        hint = ""
        if answer_array.shape[::-1] == target.shape or answer_array.shape[:2][::-1] == target.shape[:2]:
            hint = " (height and width swapped? NumPy images are (height, width, channels))"
        elif answer_array.size == target.size:
            hint = " (same number of elements: reshape or transpose?)"
        return Result(False, f"{what} has shape {answer_array.shape}, expected {target.shape}{hint}.")
    if check_dtype and answer_array.dtype != target.dtype:
        return Result(False, f"{what} has dtype {answer_array.dtype}, expected {target.dtype}"
                             f"{' (convert with srlib.to_uint8)' if target.dtype == np.uint8 else ''}.")
    if not (np.issubdtype(answer_array.dtype, np.number) or answer_array.dtype == np.bool_):
        return Result(False, f"{what} has non-numeric dtype {answer_array.dtype}.")
    a = answer_array.astype(np.float64)
    b = target.astype(np.float64)
    if np.isnan(a).any() and not np.isnan(b).any():
        return Result(False, f"{what} contains NaN values.")
    close = np.isclose(a, b, atol=atol, rtol=rtol, equal_nan=True)
    if close.all():
        return Result(True, "")
    wrong = int((~close).sum())
    difference = np.abs(a - b)
    difference[np.isnan(difference)] = 0.0
    first = tuple(int(i) for i in np.argwhere(~close)[0])
    scale = ""
    if b.size and np.nanmax(np.abs(b)) > 0:
        answer_peak, target_peak = float(np.nanmax(np.abs(a))), float(np.nanmax(np.abs(b)))
        hint = _scale_hint(answer_peak, target_peak) if answer_peak else ""
        scale = hint.replace("It is", " Its largest value is") if hint else ""
    return Result(False, f"{wrong} of {close.size} values differ (largest difference {_format(float(difference.max()))}; "
                         f"first at index {first}: {_format(float(a[first]))} instead of {_format(float(b[first]))}).{scale}")


def array_close(expected: Any, *, atol: float = 1e-6, rtol: float = 1e-6, check_dtype: bool = False) -> Checker:
    """Checker for an array answer: its type, shape, (optionally) dtype and values.

    Parameters
    ----------
    expected : array_like or callable
        The right array, or a zero-argument callable computing it (evaluated on first use).
    atol, rtol : float
        Tolerances of :func:`numpy.isclose`.
    check_dtype : bool
        Also require the same dtype (e.g. uint8 images).

    Returns
    -------
    Checker
        Messages name the wrong shape (and spot swapped height/width), the wrong
        dtype, or how many values differ, by how much and where.

    Notes
    -----
    Taught in ``00_start_here.ipynb``.
    """
    if atol < 0 or rtol < 0:
        raise ValueError(f"atol and rtol must be non-negative, got atol={atol!r}, rtol={rtol!r}")

    def check(answer: Any, target: Any) -> Result:
        return _compare_arrays(answer, target, atol=atol, rtol=rtol, check_dtype=check_dtype)

    return _LazyChecker(check, expected, f"array_close(atol={atol}, rtol={rtol}, check_dtype={check_dtype})")


def _default_compare(result: Any, expected: Any, atol: float, rtol: float) -> Result:
    if _is_number(expected):
        if not _is_number(result):
            return Result(False, f"it returned {_describe(result)}, expected a number")
        ok = math.isclose(float(result), float(expected), abs_tol=atol, rel_tol=rtol)
        return Result(ok, "" if ok else f"it returned {_format(float(result))}, expected {_format(float(expected))}")
    if isinstance(expected, np.ndarray) or hasattr(expected, "__array__"):
        outcome = _compare_arrays(result, expected, atol=atol, rtol=rtol, check_dtype=True, what="the result")
        return outcome if outcome.ok else Result(False, outcome.message.rstrip("."))
    try:
        ok = bool(result == expected)
    except (ValueError, TypeError):
        ok = False
    return Result(ok, "" if ok else f"it returned {_describe(result)}, expected {_describe(expected)}")


def _describe_case(case: Any) -> str:
    args, kwargs = case
    parts = [_describe(a, limit=30) for a in args] + [f"{k}={_describe(v, limit=30)}" for k, v in kwargs.items()]
    return ", ".join(parts)


def function_check(reference: Callable[..., Any], cases: Sequence[Any] | Callable[[], Sequence[Any]], *,
                   atol: float = 1e-6, rtol: float = 1e-6,
                   compare: Callable[[Any, Any], Result | bool] | None = None) -> Checker:
    """Checker for a learner's function: call it on test inputs, compare with ``reference``.

    Parameters
    ----------
    reference : callable
        The right implementation (also the exercise's reference answer).
    cases : sequence or callable
        Test inputs: each a tuple of positional arguments, a dict of keyword
        arguments, or a ``(args_tuple, kwargs_dict)`` pair; a single non-tuple value
        means one positional argument. May be a zero-argument callable returning
        the cases (built lazily, e.g. from images).
    atol, rtol : float
        Tolerances for numbers and arrays (arrays must also match dtype and shape).
    compare : callable or None
        Custom ``compare(result, expected) -> Result | bool`` instead of the default.

    Returns
    -------
    Checker
        Messages say "not a function", "returned None (missing return?)", "raised
        ValueError: ..." or which input gave which wrong output.

    Notes
    -----
    Inputs are copied before each call, so a learner's function that modifies its
    input in place cannot change the reference result. Taught in ``00_start_here.ipynb``.
    """
    if not callable(reference):
        raise ValueError(f"reference must be a function, got {_describe(reference)}")
    get_cases = _lazy(cases)

    def normalise(case: Any) -> tuple[tuple[Any, ...], dict[str, Any]]:
        if isinstance(case, dict):
            return (), dict(case)
        if (isinstance(case, tuple) and len(case) == 2 and isinstance(case[0], tuple)
                and isinstance(case[1], dict)):
            return case[0], dict(case[1])
        if isinstance(case, tuple):
            return case, {}
        return (case,), {}

    def copy(value: Any) -> Any:
        return value.copy() if isinstance(value, np.ndarray) else value

    def check(answer: Any) -> Result:
        if not callable(answer):
            return Result(False, f"expected a function (its name, without calling it), got {_describe(answer)}.")
        all_cases = [normalise(case) for case in get_cases()]
        if not all_cases:
            raise ValueError("function_check needs at least one test case")
        for args, kwargs in all_cases:
            expected = reference(*[copy(a) for a in args], **{k: copy(v) for k, v in kwargs.items()})
            try:
                result = answer(*[copy(a) for a in args], **{k: copy(v) for k, v in kwargs.items()})
            except Exception as err:  # noqa: BLE001 - the learner's code may raise anything
                return Result(False, f"your function raised {type(err).__name__}: {err} "
                                     f"(input: {_describe_case((args, kwargs))}).")
            if result is None and expected is not None:
                return Result(False, "your function returned None: did you forget `return`?")
            if result is Ellipsis:
                return Result(False, "your function still returns `...`: replace it with your code.")
            if compare is None:
                outcome = _default_compare(result, expected, atol, rtol)
            else:
                raw = compare(result, expected)
                outcome = raw if isinstance(raw, Result) else Result(bool(raw), "" if raw else "wrong result")
            if not outcome.ok:
                return Result(False, f"for input {_describe_case((args, kwargs))}, {outcome.message}.")
        return Result(True, "")

    name = getattr(reference, "__name__", "reference")
    return Checker(check, reference, f"function_check({name})")


def satisfies(predicate: Callable[[Any], bool], message: str, *, expected: Any = _MISSING) -> Checker:
    """Checker from a predicate: correct when ``predicate(answer)`` is true, else ``message``.

    Notes
    -----
    Taught in ``00_start_here.ipynb``.
    """

    def check(answer: Any) -> Result:
        ok = bool(predicate(answer))
        return Result(ok, "" if ok else message)

    return Checker(check, expected, "satisfies")


def all_of(*checkers: Callable[[Any], Any]) -> Checker:
    """Checker passing when every checker passes; reports the first failure.

    The reference answer is the first one any of the checkers has.

    Notes
    -----
    Taught in ``00_start_here.ipynb``.
    """
    if not checkers:
        raise ValueError("all_of needs at least one checker")

    def check(answer: Any) -> Result:
        for checker in checkers:
            outcome = _run_checker(checker, answer)
            if not outcome.ok:
                return outcome
        return Result(True, "")

    for checker in checkers:
        if isinstance(checker, Checker) and checker.has_expected:
            return _LazyChecker(lambda answer, _target: check(answer), lambda c=checker: c.expected, "all_of")
    return Checker(check, _MISSING, "all_of")


def _run_checker(checker: Callable[[Any], Any], answer: Any) -> Result:
    """Call a checker; accept Result, bool, (bool, message) or AssertionError(message)."""
    try:
        raw = checker(answer)
    except AssertionError as err:
        return Result(False, str(err) or "that is not right.")
    if isinstance(raw, Result):
        return raw
    if isinstance(raw, tuple) and len(raw) == 2:
        return Result(bool(raw[0]), str(raw[1]))
    if isinstance(raw, (bool, np.bool_)):
        return Result(bool(raw), "")
    raise TypeError(f"a checker must return Result, bool or (bool, message), got {_describe(raw)}")


class Exercise:
    """One exercise: check a learner's answer, give hints, show the solution.

    Parameters
    ----------
    name : str
        Shown in messages (``"q1"``); usually the variable name in the lesson module.
    checker : callable
        A :class:`Checker` (from :func:`close_to`, :func:`array_close`, ...) or any
        function ``answer -> Result | bool | (bool, message)`` that may raise
        ``AssertionError(message)``.
    hint : str or sequence of str
        One hint, or several revealed one per :meth:`hint` call.
    solution : str
        The solution *code*, printed by :meth:`solution`.
    answer : object, optional
        The reference answer, used as given (for a function exercise: the reference
        function). Defaults to the checker's ``expected`` value.
    answer_from : callable, optional
        Instead of ``answer``: a zero-argument callable computing the reference
        answer on first use (e.g. a PSNR that needs the lesson's images).
    explanation : str
        Printed after "Correct" - why the answer is what it is.
    wrong : sequence
        Answers that must be rejected; :func:`self_test` checks them (CI runs the
        solution *and* a wrong answer).

    Examples
    --------
    >>> q = Exercise("q1", checker=close_to(2.0, atol=0.1), hint="1 + 1", solution="answer = 1 + 1")
    >>> bool(q.check(2.04, quiet=True)), bool(q.check(3, quiet=True))
    (True, False)

    Notes
    -----
    Taught in ``00_start_here.ipynb``.
    """

    def __init__(self, name: str, *, checker: Callable[[Any], Any], hint: str | Sequence[str] = "",
                 solution: str = "", answer: Any = _MISSING, answer_from: Callable[[], Any] | None = None,
                 explanation: str = "", wrong: Sequence[Any] = ()) -> None:
        if not isinstance(name, str) or not name.strip():
            raise ValueError(f"name must be a non-empty string, got {name!r}")
        if not callable(checker):
            raise ValueError(f"checker must be callable (e.g. close_to(...)), got {_describe(checker)}")
        if not isinstance(solution, str):
            raise ValueError(f"solution must be the solution code as a string, got {_describe(solution)}")
        self.name = name
        self.checker = checker
        self.hints: tuple[str, ...] = (hint,) if isinstance(hint, str) else tuple(hint)
        self.solution_code = textwrap.dedent(solution).strip("\n")
        self.explanation = explanation
        self.wrong: tuple[Any, ...] = tuple(wrong)
        if answer is not _MISSING and answer_from is not None:
            raise ValueError(f"exercise {name!r}: give answer= or answer_from=, not both")
        if answer_from is not None and not callable(answer_from):
            raise ValueError(f"answer_from must be a zero-argument callable, got {_describe(answer_from)}")
        if answer is not _MISSING:
            self._answer: Callable[[], Any] | None = lambda: answer
        elif answer_from is not None:
            self._answer = _lazy(answer_from)
        else:
            self._answer = None
        self._hints_shown = 0

    def __repr__(self) -> str:
        return f"Exercise({self.name!r}, checker={self.checker!r})"

    def check(self, answer: Any, *, quiet: bool = False) -> CheckResult:
        """Check ``answer``; print "Correct" and the explanation, or what is wrong.

        Parameters
        ----------
        answer : object
            The learner's answer; ``...`` (the stub left unchanged) gets a reminder.
        quiet : bool
            Do not print (tests).

        Returns
        -------
        CheckResult
            Truthy when correct; displays nothing in a notebook.
        """
        if answer is Ellipsis or (isinstance(answer, (tuple, list)) and any(a is Ellipsis for a in answer)):
            result = Result(False, "replace `...` with your answer, then run the cell again.")
            message = f"{self.name}: {result.message}"
        else:
            try:
                result = _run_checker(self.checker, answer)
            except Exception as err:  # noqa: BLE001 - report, do not crash the learner's cell
                result = Result(False, f"checking your answer raised {type(err).__name__}: {err}")
            if result.ok:
                message = f"{self.name}: Correct!" + (f" {result.message}" if result.message else "") \
                    + (f" {self.explanation}" if self.explanation else "")
            else:
                more = f" Run {self.name}.hint() for a hint." if self.hints and self.hints[0] else ""
                reason = result.message.strip() or "that is not the right answer."
                if reason[-1] not in ".!?)":
                    reason += "."
                message = f"{self.name}: Not yet - {reason}{more}"
        if not quiet:
            print(message)
        return CheckResult(result.ok, message)

    def hint(self) -> str:
        """Print the next hint and what comes after it; return the printed text.

        Each call reveals one more hint. The text ends by saying what the next call
        gives: the next hint, or (after the last or only hint) that there are no more
        and :meth:`solution` shows a solution. Once all hints are shown, the last one
        is repeated with that note.
        """
        if not self.hints or not self.hints[0]:
            text = f"{self.name}: no hint for this one - try {self.name}.solution()."
        else:
            count = len(self.hints)
            index = min(self._hints_shown, count - 1)
            self._hints_shown += 1
            label = f" ({index + 1}/{count})" if count > 1 else ""
            if index + 1 < count:
                after = f"Run {self.name}.hint() again for hint {index + 2} of {count}."
            elif count == 1:
                after = f"This is the only hint; {self.name}.solution() shows a solution."
            else:
                after = f"That was the last hint; {self.name}.solution() shows a solution."
            text = f"Hint{label}: {self.hints[index]}\n({after})"
        print(text)
        return text

    def solution(self) -> str:
        """Print the solution code and return it."""
        text = f"Solution:\n{self.solution_code}" if self.solution_code else \
            f"{self.name}: no solution code recorded."
        print(text)
        return self.solution_code

    def answer(self) -> Any:
        """The reference answer (what :meth:`check` accepts), for tests and the lesson's own checks."""
        if self._answer is not None:
            return self._answer()
        if isinstance(self.checker, Checker) and self.checker.has_expected:
            return self.checker.expected
        raise ValueError(f"exercise {self.name!r} has no reference answer: pass Exercise(..., answer=...)")


def exercises_in(module: ModuleType | Mapping[str, Any]) -> list[Exercise]:
    """Every :class:`Exercise` defined at the top level of a lesson module, in name order.

    Notes
    -----
    Taught in ``00_start_here.ipynb``.
    """
    namespace = vars(module) if isinstance(module, ModuleType) else module
    found = [value for _, value in sorted(namespace.items()) if isinstance(value, Exercise)]
    return found


def self_test(module: ModuleType | Mapping[str, Any] | Iterable[Exercise]) -> int:
    """Check every exercise of a lesson module: its reference answer passes, its ``wrong`` answers fail.

    Parameters
    ----------
    module : module, mapping or iterable of Exercise
        A lesson module (``srlib.exercises.lesson01``) or the exercises themselves.

    Returns
    -------
    int
        The number of exercises checked.

    Raises
    ------
    AssertionError
        Listing each exercise whose answer fails, whose wrong answer passes, whose
        failure message is empty, or that has no hint or no solution code.

    Notes
    -----
    Taught in ``00_start_here.ipynb``.
    """
    if isinstance(module, (ModuleType, Mapping)):
        exercises = exercises_in(module)
    else:
        exercises = list(module)
    problems = []
    for exercise in exercises:
        try:
            reference = exercise.answer()
        except Exception as err:  # noqa: BLE001
            problems.append(f"{exercise.name}: answer() raised {type(err).__name__}: {err}")
            continue
        if not exercise.check(reference, quiet=True):
            problems.append(f"{exercise.name}: the reference answer is rejected: "
                            f"{exercise.check(reference, quiet=True).message}")
        if exercise.check(Ellipsis, quiet=True):
            problems.append(f"{exercise.name}: `...` is accepted")
        for wrong in exercise.wrong:
            outcome = exercise.check(wrong, quiet=True)
            if outcome:
                problems.append(f"{exercise.name}: the wrong answer {_describe(wrong)} is accepted")
            elif "Not yet - " not in outcome.message or not outcome.message.split("Not yet - ", 1)[1].strip():
                problems.append(f"{exercise.name}: no message for the wrong answer {_describe(wrong)}")
        if not exercise.hints or not exercise.hints[0]:
            problems.append(f"{exercise.name}: no hint")
        if not exercise.solution_code:
            problems.append(f"{exercise.name}: no solution code")
    if problems:
        raise AssertionError("exercise self-test failed:\n  " + "\n  ".join(problems))
    return len(exercises)

