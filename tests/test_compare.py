"""The one rule for comparing an estimate or bound with a target (evalkit._compare)."""

import math

import numpy as np

from evalkit._compare import REL_TOL, at_least, at_most, is_close, reaches


def test_rule_by_hand():
    # |x - t| <= 1e-9 * max(1, |t|): an absolute 1e-9 below 1, relative above
    assert REL_TOL == 1e-9
    assert at_least(0.8 - 0.9e-9, 0.8) and not at_least(0.8 - 1.1e-9, 0.8)
    assert at_least(2000 - 1.9e-6, 2000) and not at_least(2000 - 2.1e-6, 2000)
    assert at_most(-5 + 4.9e-9, -5) and not at_most(-5 + 5.1e-9, -5)
    assert at_least(0.9, 0.8) and not at_most(0.9, 0.8)
    assert is_close((2.4 - 0.48 + 7.1 - 1.42) / 9.5, 0.8)  # 0.7999999999999999


def test_nan_never_reaches_a_target():
    nan = float("nan")
    assert not at_least(nan, 0.8) and not at_most(nan, 0.8) and not is_close(nan, 0.8)


def test_scalars_give_bools_and_arrays_give_arrays():
    assert type(at_least(1.0, 0.5)) is bool
    out = at_least(np.array([0.7999999999999999, 0.79, math.nan]), 0.8)
    assert out.dtype == bool and out.tolist() == [True, False, False]
    assert reaches(1.0, 0.5, ">=") and not reaches(1.0, 0.5, "<=")
