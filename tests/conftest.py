"""Shared test set-up: a non-interactive plotting backend, closed figures, a seeded generator."""

import os

os.environ.setdefault("MPLBACKEND", "Agg")

import numpy as np
import pytest


@pytest.fixture
def rng():
    """A generator seeded the same way in every test."""
    return np.random.default_rng(20190401)


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    import sys

    if "matplotlib.pyplot" in sys.modules:
        sys.modules["matplotlib.pyplot"].close("all")
