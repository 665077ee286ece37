"""Key-figure rows: target verdicts and the published-figure check."""

import math

import pandas as pd
import pytest

from evalkit import EvalkitError
from evalkit.report.kpis import KPI_COLUMNS, kpi_row, kpi_table


def test_floor_target_met_and_confidently_met():
    row = kpi_row("音声認識", "満足度", value=0.8387, ci=(0.75, 0.90), unit="ratio", target=0.70)
    assert row["met"] is True and row["met_confidently"] is True
    assert row["direction"] == ">="


def test_floor_target_met_but_not_confidently():
    row = kpi_row("RPA", "削減率", value=0.84, ci=(0.78, 0.88), target=0.80)
    assert row["met"] is True and row["met_confidently"] is False


def test_ceiling_target_uses_the_upper_bound():
    row = kpi_row("x", "cost", value=90.0, ci=(80.0, 105.0), target=100.0, direction="<=")
    assert row["met"] is True and row["met_confidently"] is False


def test_exactly_on_target_is_met():
    assert kpi_row("x", "y", value=0.7, target=0.7)["met"] is True


def test_floating_point_noise_does_not_flip_verdicts():
    # Hand arithmetic: 7.6 / 9.5 is exactly 0.8 in decimals, 0.7999999999999999 in binary;
    # a relative 1e-9 of the target counts as equal (|x - t| <= 1e-9 max(1, |t|)).
    rate = (2.4 - 0.48 + 7.1 - 1.42) / 9.5
    assert rate < 0.8
    row = kpi_row("RPA", "削減率", value=rate, ci=(rate, 0.9), target=0.8)
    assert row["met"] is True and row["met_confidently"] is True
    below = kpi_row("RPA", "削減率", value=0.8 - 2e-9, ci=(0.7, 0.9), target=0.8)
    assert below["met"] is False
    # a ceiling: 100.00000001 hours is at most 100 within 1e-9 * 100
    ceiling = kpi_row(
        "x", "h", value=100 + 1e-8, ci=(90.0, 100 + 1e-8), target=100.0, direction="<="
    )
    assert ceiling["met"] is True and ceiling["met_confidently"] is True
    assert kpi_row("x", "h", value=100 + 2e-7, target=100.0, direction="<=")["met"] is False


def test_nan_interval_is_not_usable():
    # reduction() gives NaN bounds when no interval can be computed (every unit the same rate)
    nan = float("nan")
    row = kpi_row("RPA", "削減率", value=0.8, ci=(nan, nan), unit="ratio", target=0.8)
    assert math.isnan(row["ci_low"]) and math.isnan(row["ci_high"])
    assert row["met"] is True and row["met_confidently"] is False
    ceiling = kpi_row("x", "h", value=90.0, ci=(80.0, nan), target=100.0, direction="<=")
    assert ceiling["met_confidently"] is False
    assert kpi_row("x", "y", value=0.8, ci=(nan, nan))["met_confidently"] is None
    table = kpi_table([row])
    assert table["ci_low"].isna().all() and table.loc[0, "met_confidently"] == False  # noqa: E712


@pytest.mark.parametrize(
    ("value", "published", "decimals", "expected"),
    [
        (61.96, 62, 0, True),  # "平均62時間"
        (61.4, 62, 0, False),
        (0.838709, 0.8387, 4, True),  # 83.87 %
        (1800.0, 1800, -2, True),  # "1,800時間程度"
        (1849.0, 1800, -2, True),
        (1851.0, 1800, -2, False),
        (0.83998, 0.84, 2, True),  # "84%程度"
        # rounded half up (四捨五入), in decimal; Python's round() gives 62, 1800,
        # 0.12 and 0.83 (halves to even, binary 0.835 = 0.83499999999999996...)
        (62.5, 63, 0, True),
        (1850.0, 1900, -2, True),
        (0.125, 0.13, 2, True),
        (0.835, 0.84, 2, True),
        (62.5, 62, 0, False),
        (0.8349, 0.84, 2, False),
        (-0.125, -0.13, 2, True),  # halves of negative values away from zero
    ],
)
def test_reproduced_at_the_published_precision(value, published, decimals, expected):
    row = kpi_row("x", "y", value=value, published=published, published_decimals=decimals)
    assert row["reproduced"] is expected


def test_qualitative_indicator_has_no_verdicts():
    row = kpi_row("LGWAN", "運用開始", value=None, target=1.0, published=1, published_decimals=0)
    assert row["value"] is None
    assert row["met"] is None and row["met_confidently"] is None and row["reproduced"] is None


def test_table_has_the_columns_in_order_and_nullable_verdicts():
    table = kpi_table(
        [
            kpi_row("a", "rate", value=0.9, ci=(0.8, 0.95), target=0.7, unit="ratio"),
            kpi_row("b", "qualitative", value=None),
        ]
    )
    assert list(table.columns) == KPI_COLUMNS
    assert table["met"].dtype == "boolean"
    assert table.loc[0, "met"] and pd.isna(table.loc[1, "met"])
    assert math.isnan(table.loc[1, "value"])


@pytest.mark.parametrize(
    ("kwargs", "column", "value"),
    [
        ({"value": "abc"}, "value", "abc"),
        ({"value": float("inf")}, "value", float("inf")),
        ({"value": 1.0, "target": "high"}, "target", "high"),
        ({"value": 1.0, "direction": ">"}, "direction", ">"),
        ({"value": 1.0, "published": 1.0}, "published_decimals", None),
        ({"value": 1.0, "published": 1.0, "published_decimals": 1.5}, "published_decimals", 1.5),
        ({"value": 1.0, "published": 1.0, "published_decimals": True}, "published_decimals", True),
        ({"value": 0.9, "ci": (0.8, float("inf"))}, "ci", float("inf")),
    ],
)
def test_bad_input_names_column_and_value(kwargs, column, value):
    with pytest.raises(EvalkitError) as err:
        kpi_row("x", "y", **kwargs)
    assert err.value.column == column
    assert f"column {column!r}, value {value!r}" in str(err.value)


def test_table_errors():
    with pytest.raises(EvalkitError, match="no key figures"):
        kpi_table([])
    with pytest.raises(EvalkitError, match="build them with kpi_row"):
        kpi_table([{"initiative": "x", "value": 1.0}])


@pytest.mark.parametrize(
    ("kwargs", "decimals"),
    [
        ({"unit": "ratio", "published": 0.8387, "published_decimals": 4}, 4),  # 83.87 %
        ({"unit": "hours", "published": 1800, "published_decimals": -2}, -2),  # 1,800
        ({"unit": "ratio"}, 3),  # 83.9 %
        ({"unit": "hours/month"}, 1),
        ({"unit": "departments"}, 0),
        ({"unit": "yen"}, 0),
        ({"unit": "台"}, 2),
        ({"unit": "ratio", "decimals": 1}, 1),  # given: wins over the default
        ({"unit": "ratio", "published": 0.84, "published_decimals": 2, "decimals": 4}, 4),
    ],
)
def test_display_precision_is_the_published_one_else_a_default_by_unit(kwargs, decimals):
    row = kpi_row("x", "y", value=0.8387, **kwargs)
    assert row["decimals"] == decimals
    table = kpi_table([row])
    assert table["decimals"].dtype == "Int64" and table.loc[0, "decimals"] == decimals


def test_no_display_precision_without_a_value():
    assert kpi_row("x", "y", value=None, unit="ratio")["decimals"] is None
    assert pd.isna(kpi_table([kpi_row("x", "y", value=None)]).loc[0, "decimals"])


def test_rows_without_decimals_get_the_default_of_their_unit():
    row = kpi_row("x", "y", value=0.5, unit="ratio")
    del row["decimals"]  # a row of an older evalkit
    assert kpi_table([row]).loc[0, "decimals"] == 3
    with pytest.raises(EvalkitError) as err:
        kpi_row("x", "y", value=0.5, decimals=1.5)
    assert err.value.column == "decimals"
