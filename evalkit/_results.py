"""Shared behaviour of evalkit's result objects.

Results are frozen dataclasses (fields can be added without breaking
callers) that mix in :class:`ResultMixin`: ``summary()`` gives a tidy
DataFrame and notebooks show it as a table, labelled in Japanese
(:mod:`evalkit.labels`); ``str()`` keeps the English names.
"""

from __future__ import annotations

import html

import pandas as pd

__all__ = ["ResultMixin", "SUMMARY_COLUMNS", "format_number"]

#: Columns of every ``summary()`` frame, in order.
SUMMARY_COLUMNS = ["metric", "value", "ci_low", "ci_high", "unit"]


class ResultMixin:
    """``summary()``, ``str()`` and a rich notebook display for a result."""

    _title = "Result"
    #: Title of the notebook display, Japanese first; ``_title`` when empty.
    _title_ja = ""
    #: Labels of summary metrics that take precedence over evalkit.labels.COLUMN_JA.
    _labels_ja: dict[str, str] = {}

    def summary(self) -> pd.DataFrame:  # pragma: no cover - every result overrides it
        raise NotImplementedError

    def _notes(self) -> list[str]:
        """Short lines shown under the table (method, exclusions, ...)."""
        return []

    def __str__(self) -> str:
        table = self.summary().to_string(index=False, na_rep="", float_format=format_number)
        text = f"{self._title}\n{table}"
        notes = self._notes()
        return text + ("\n" + "\n".join(notes) if notes else "")

    def __repr__(self) -> str:
        return self.__str__()

    def _repr_html_(self) -> str:
        from .labels import ja_label, ja_unit

        summary = self.summary()
        shown = pd.DataFrame(
            {
                "指標": [ja_label(m, self._labels_ja) for m in summary["metric"]],
                "値": summary["value"],
                "信頼区間 下限": summary["ci_low"],
                "信頼区間 上限": summary["ci_high"],
                "単位": [ja_unit(u) for u in summary["unit"]],
            }
        )
        table = shown.to_html(index=False, na_rep="", float_format=format_number)
        notes = "".join(f"<li>{html.escape(n)}</li>" for n in self._notes())
        notes_html = f"<p>注記 (notes)</p><ul>{notes}</ul>" if notes else ""
        title = html.escape(self._title_ja or self._title)
        return f"<div><strong>{title}</strong>{table}{notes_html}</div>"


def format_number(x: float) -> str:
    """Format a figure for display: whole numbers without decimals, others to 4 places.

    Examples
    --------
    >>> [format_number(v) for v in (116.0, 2251.6, 0.838709, 6.56e-12, float("nan"))]
    ['116', '2,251.6', '0.8387', '6.56e-12', '']
    """
    if x != x:  # NaN
        return ""
    if float(x).is_integer() and abs(x) < 1e15:
        return f"{int(x):,}"
    if abs(x) >= 100:
        return f"{x:,.1f}"
    if abs(x) >= 1e-3:
        return f"{x:.4f}"
    return f"{x:.3g}"
