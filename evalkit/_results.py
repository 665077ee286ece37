"""Shared behaviour of evalkit's result objects.

Results are frozen dataclasses (fields can be added without breaking
callers) that mix in :class:`ResultMixin`: ``summary()`` gives a tidy
DataFrame and notebooks show it as a table.
"""

from __future__ import annotations

import html

import pandas as pd

__all__ = ["ResultMixin", "SUMMARY_COLUMNS"]

#: Columns of every ``summary()`` frame, in order.
SUMMARY_COLUMNS = ["metric", "value", "ci_low", "ci_high", "unit"]


class ResultMixin:
    """``summary()``, ``str()`` and a rich notebook display for a result."""

    _title = "Result"

    def summary(self) -> pd.DataFrame:  # pragma: no cover - every result overrides it
        raise NotImplementedError

    def _notes(self) -> list[str]:
        """Short lines shown under the table (method, exclusions, ...)."""
        return []

    def __str__(self) -> str:
        with pd.option_context("display.width", 120, "display.max_columns", 20):
            text = f"{self._title}\n{self.summary().to_string(index=False)}"
        notes = self._notes()
        return text + ("\n" + "\n".join(notes) if notes else "")

    def __repr__(self) -> str:
        return self.__str__()

    def _repr_html_(self) -> str:
        table = self.summary().to_html(index=False, na_rep="", float_format=_fmt)
        notes = "".join(f"<li>{html.escape(n)}</li>" for n in self._notes())
        notes_html = f"<ul>{notes}</ul>" if notes else ""
        return f"<div><strong>{html.escape(self._title)}</strong>{table}{notes_html}</div>"


def _fmt(x: float) -> str:
    return f"{x:,.4g}" if abs(x) < 1e5 else f"{x:,.0f}"
