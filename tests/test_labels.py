"""Japanese labels of result displays and frames (evalkit.labels)."""

import re

import pandas as pd
import pytest

import evalkit as ek
from evalkit.labels import COLUMN_JA, ja_label, japanese_columns


def _results():
    minutes = ek.datasets.load_minutes_work()
    survey = ek.datasets.load_satisfaction_survey()
    saved = ek.reduction(
        minutes, before="hours_before", after="hours_after", unit="department", period="month"
    )
    return {
        "usage": ek.usage(minutes, unit="department", period="month", counts="meetings"),
        "reduction": saved,
        "satisfaction": ek.satisfaction_rate(survey, answers="answer", target=0.7),
        "sensitivity": ek.baseline_sensitivity(saved, overstatement=[0, 0.1]),
    }


@pytest.mark.parametrize("name", ["usage", "reduction", "satisfaction", "sensitivity"])
def test_every_metric_of_a_result_display_is_labelled_in_japanese(name):
    result = _results()[name]
    shown = result._repr_html_()
    assert re.search(r"<strong>[^<]*[぀-ヿ一-鿿]", shown), "title not in Japanese"
    for header in ("指標", "値", "信頼区間 下限", "信頼区間 上限", "単位"):
        assert f"<th>{header}</th>" in shown
    for metric in result.summary()["metric"]:
        label = ja_label(metric, result._labels_ja)
        assert label != metric and label.endswith(f"({metric})"), metric
        assert f"<td>{label}</td>" in shown
    # the English text form is unchanged: code and doctests read it
    assert str(result).startswith(result._title)


def test_rate_is_named_by_what_it_measures():
    results = _results()
    assert "削減率 (rate)" in results["reduction"]._repr_html_()
    assert "満足度 (rate)" in results["satisfaction"]._repr_html_()


def test_japanese_columns_relabels_columns_and_index_without_touching_values():
    df = pd.DataFrame({"saved": [1.5], "custom": [2]}, index=pd.Index(["人事課"], name="unit"))
    out = japanese_columns(df, {"unit": "所属"})
    assert list(out.columns) == ["削減時間 (saved)", "custom"]
    assert out.index.name == "所属 (unit)"
    assert out.to_numpy().tolist() == df.to_numpy().tolist()
    assert list(df.columns) == ["saved", "custom"]  # the caller's frame is untouched


def test_every_label_is_japanese():
    for name, label in COLUMN_JA.items():
        assert re.search(r"[぀-ヿ一-鿿]", label), (name, label)
