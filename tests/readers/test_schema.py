"""Schema, Column and the number readers (parse_number, parse_rate) on their own."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from evalkit.errors import EvalkitError
from evalkit.readers.schema import Column, Schema, parse_number, parse_rate

# ----------------------------------------------------------------------------- schema


def test_schema_definitions_are_checked():
    with pytest.raises(EvalkitError, match="kind must be one of"):
        Column("x", "date")
    with pytest.raises(EvalkitError, match="must be nullable"):
        Column("x", "text", required=False)
    with pytest.raises(EvalkitError, match="choices are for text"):
        Column("x", "int", choices=["1"])
    with pytest.raises(EvalkitError, match="minimum is for number"):
        Column("x", "text", minimum=0)
    with pytest.raises(EvalkitError, match="non-empty"):
        Column("", "text")
    with pytest.raises(EvalkitError, match="non-empty strings"):
        Column("x", "text", aliases=["a", ""])
    with pytest.raises(EvalkitError, match="list of strings"):
        Column("x", "text", aliases=3)
    with pytest.raises(EvalkitError, match="would name both"):
        Schema("s", [Column("a", "text", aliases=["所属"]), Column("b", "text", aliases=["所 属"])])
    with pytest.raises(EvalkitError, match="key column"):
        Schema("s", [Column("a", "text")], key=["b"])
    with pytest.raises(EvalkitError, match="list of Column"):
        Schema("s", ["a"])


def test_a_single_alias_string_is_one_alias():
    assert Column("bureau", "text", aliases="部局").aliases == ("部局",)
    schema = Schema("work", [Column("month", "month", aliases=["年月", "月"])])
    assert schema.match("　年月 ").name == "month"
    assert schema.match("録音") is None


# ----------------------------------------------------------------------------- numbers


def fullwidth(s: str) -> str:
    return s.translate({ord(c): ord(c) + 0xFEE0 for c in "0123456789,."})


@given(st.integers(min_value=0, max_value=10**12), st.sampled_from(["", "△", "▲", "-", "−"]))
def test_parse_number_written_integers(n, sign):
    value = -n if sign else n
    for text in (f"{sign}{n}", f"{sign}{n:,}", fullwidth(f"{sign}{n:,}"), f" {sign}{n:,}件　"):
        assert parse_number(text, units=["件"]) == value


@given(st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False))
def test_parse_number_decimals(d):
    assert parse_number(f"{d:,}") == pytest.approx(float(d), rel=1e-15)
    assert parse_number(fullwidth(f"{d:,}") + "時間", units=["時間"]) == pytest.approx(
        float(d), rel=1e-15
    )


@pytest.mark.parametrize(
    "value",
    [
        "",
        "abc",
        "1,80",
        "1,8000",
        "12,34.5",
        "1.2.3",
        "--1",
        "nan",
        "inf",
        "1e400",
        "1 2",
        "△",
        True,
        None,
        float("inf"),
    ],
)
def test_parse_number_refuses(value):
    with pytest.raises(EvalkitError) as info:
        parse_number(value)
    assert repr(value) in str(info.value)


@given(st.integers(min_value=0, max_value=100))
def test_parse_rate_percent_and_fraction_agree(k):
    assert parse_rate(f"{k}%") == pytest.approx(k / 100)
    assert parse_rate(fullwidth(str(k)) + "％") == pytest.approx(k / 100)
    assert parse_rate(str(k / 100)) == pytest.approx(k / 100)
