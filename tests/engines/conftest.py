"""Shared by the engine tests: data written to Parquet, and results compared field by field."""

import dataclasses
import math

import pandas as pd
import pytest
from numpy.testing import assert_allclose

RTOL = 1e-9


def _same_frame(x, y, name):
    assert list(x.columns) == list(y.columns), name
    assert len(x) == len(y), name
    for col in x.columns:
        if pd.api.types.is_numeric_dtype(x[col].dtype) and not pd.api.types.is_bool_dtype(
            x[col].dtype
        ):
            assert pd.api.types.is_numeric_dtype(y[col].dtype), (name, col)
            assert_allclose(
                y[col].to_numpy(dtype=float), x[col].to_numpy(dtype=float), rtol=RTOL,
                atol=0, equal_nan=True, err_msg=f"{name}.{col}",
            )  # fmt: skip
        else:
            assert y[col].tolist() == x[col].tolist(), (name, col)


def _same_value(x, y, name):
    if isinstance(x, pd.DataFrame):
        _same_frame(x, y, name)
    elif isinstance(x, pd.Series):
        assert x.index.tolist() == y.index.tolist(), name
        assert_allclose(y.to_numpy(dtype=float), x.to_numpy(dtype=float), rtol=RTOL)
    elif isinstance(x, tuple):
        assert len(x) == len(y), name
        for i, (u, v) in enumerate(zip(x, y, strict=True)):
            _same_value(u, v, f"{name}[{i}]")
    elif isinstance(x, float) and not isinstance(x, bool):
        assert isinstance(y, float), name
        if math.isnan(x):
            assert math.isnan(y), name
        else:
            assert_allclose(y, x, rtol=RTOL, atol=0, err_msg=name)
    else:
        assert y == x, name


def _without_excluded_note(notes):
    return [n for n in notes if "excluded (missing='exclude')" not in n]


@pytest.fixture
def same():
    """``same(in_memory, engine)``: every field equal, numbers to a relative 1e-9.

    The rows named in ``excluded`` and in its note are the data's (file and
    row within it for an engine, the frame's row in memory): compared apart.
    """

    def check(expected, got):
        assert type(expected) is type(got)
        for f in dataclasses.fields(expected):
            x, y = getattr(expected, f.name), getattr(got, f.name)
            if f.name == "excluded":
                continue
            if f.name == "_method_notes":
                x, y = _without_excluded_note(x), _without_excluded_note(y)
            _same_value(x, y, f.name)

    return check


@pytest.fixture
def write_parts(tmp_path):
    """``write_parts(frame, n, name)``: the frame's rows dealt over n Parquet files in a folder.

    Row i goes to file i % n, so that the rows of one unit and month land in
    different files. Returns the folder and the frame as the files hold it,
    in file order (the in-memory reference), with each row's file and row.
    """

    def write(frame, n=3, name="parts"):
        folder = tmp_path / name
        folder.mkdir()
        frame = frame.reset_index(drop=True)
        frame.attrs = {}
        pieces, where = [], []
        for k in range(n):
            piece = frame.iloc[k::n].reset_index(drop=True)
            path = folder / f"part-{k:02d}.parquet"
            piece.to_parquet(path, index=False)
            pieces.append(piece)
            where += [(str(path), r + 1) for r in range(len(piece))]
        whole = pd.concat(pieces, ignore_index=True)
        whole.attrs = {}
        return folder, whole, where

    return write
