"""Checked exercises: the framework (check/hint/solution) and one module per lesson."""
from __future__ import annotations

from srlib.exercises._framework import Exercise, Result, CheckResult, Checker, close_to, equals, one_of, array_close, function_check, satisfies, all_of, exercises_in, self_test, whole_number
