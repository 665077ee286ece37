"""Eras, months, fiscal years and the written timings of the FY2019 report.

Reference for the eras: the Cabinet's notices on the era names (平成 from
1989-01-08, 令和 from 2019-05-01). Expected timings are read off the FY2019
progress report (../shared/seed/000_500549864cb920fa.txt) by hand.
"""

import datetime as dt
import unicodedata

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from evalkit.errors import EvalkitError
from evalkit.readers.fiscal import (
    FLAG_RECURRING,
    FLAG_UNRECOGNISED,
    Timing,
    fiscal_months,
    fiscal_year,
    fiscal_year_label,
    month_label,
    parse_month,
    parse_schedule,
    parse_timing,
)


def P(s):
    return pd.Period(s, freq="M")


def fullwidth(s: str) -> str:
    return s.translate({ord(c): ord(c) + 0xFEE0 for c in "0123456789"})


# ----------------------------------------------------------------------------- parse_month


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2019-04", "2019-04"),
        ("2019/4", "2019-04"),
        ("2019/04/01", "2019-04"),
        # ("2019.4" is refused: as a number 2019.1 and 2019.10 are the same; see
        # test_hardening.py::test_year_dot_month_is_refused_everywhere)
        ("2019.04.01", "2019-04"),
        ("2019年4月", "2019-04"),
        ("2019年4月15日", "2019-04"),
        ("201904", "2019-04"),
        ("2019-04-01 00:00:00", "2019-04"),
        ("令和元年5月", "2019-05"),
        ("令和1年5月", "2019-05"),
        ("令和 元年 5月", "2019-05"),
        ("平成31年4月", "2019-04"),
        ("R1.5", "2019-05"),
        ("R01.05", "2019-05"),
        ("r1.5", "2019-05"),
        ("H31.4", "2019-04"),
        ("R1/5", "2019-05"),
        ("R2.3", "2020-03"),
        ("R1年5月", "2019-05"),
        ("２０１９年４月", "2019-04"),
        ("令和２年３月", "2020-03"),
        ("Ｒ１．５", "2019-05"),
        ("\u32ff1.5", "2019-05"),  # the one-character 令和 sign
        ("令和元年12月4日", "2019-12"),
        ("  2019-04\u3000", "2019-04"),
        ("平成元年1月", "1989-01"),  # 平成 began on 1989-01-08
        ("昭和64年1月", "1989-01"),
        ("平成30年10月", "2018-10"),
        # Excel's CSV export of date-time cells
        ("2019/04/01 0:00", "2019-04"),
        ("2019/4/1 0:00:00", "2019-04"),
        ("2019/4/30 23:59", "2019-04"),
        ("2019-04-01T00:00:00", "2019-04"),
        ("２０１９／４／１　０：００", "2019-04"),
        # a trailing 分 ("the records of April")
        ("2019年4月分", "2019-04"),
        ("令和元年5月分", "2019-05"),
        ("平成31年4月分", "2019-04"),
        ("令和２年３月分", "2020-03"),
        # the first character of the era name
        ("平31.4", "2019-04"),
        ("令1.5", "2019-05"),
        ("令01.05", "2019-05"),
        ("令2年3月", "2020-03"),
        ("昭64.1", "1989-01"),
    ],
)
def test_parse_month_text(value, expected):
    assert parse_month(value) == P(expected)


@pytest.mark.parametrize(
    "value",
    [
        dt.date(2019, 4, 15),
        dt.datetime(2019, 4, 1, 0, 0),
        pd.Timestamp("2019-04-30"),
        np.datetime64("2019-04-02"),
        pd.Period("2019-04", freq="M"),
        pd.Period("2019-04-20", freq="D"),
        201904,
        np.int64(201904),
        201904.0,
    ],
)
def test_parse_month_objects(value):
    assert parse_month(value) == P("2019-04")


def test_parse_month_returns_monthly_period():
    p = parse_month("令和元年5月")
    assert isinstance(p, pd.Period)
    assert p.freqstr == "M"


@pytest.mark.parametrize("value", ["平成31年5月", "H31.5", "平成31年12月"])
def test_heisei_31_after_the_change_is_accepted(value):
    # Forms printed before 2019-05-01 say 平成31年; such dates stay valid.
    assert parse_month(value).year == 2019
    assert parse_month(value) >= P("2019-05")


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("令和元年4月", "令和 began on 2019-05-01"),
        ("R1.4", "令和 began on 2019-05-01"),
        ("令和元年1月", "令和 began on 2019-05-01"),
        ("平成32年1月", "平成 ended on 2019-04-30"),
        ("H32.4", "平成 ended on 2019-04-30"),
        ("平成元年1月7日", "平成 began on 1989-01-08"),
        ("令和0年5月", "no year 0"),
        ("令1.4", "令和 began on 2019-05-01"),
        ("令和元年4月分", "令和 began on 2019-05-01"),
        ("平32.4", "平成 ended on 2019-04-30"),
        ("平成32年4月分", "平成 ended on 2019-04-30"),
        ("平成32年", "not a month"),
        ("13月", "not a month"),
        ("2019年13月分", "no month 13"),
        ("2019/13/1 0:00", "no month 13"),
        ("2019/4/1 24:00", "no time of day 24:00"),
        ("2019/4/1 0:60:00", "no time of day 0:60:00"),
        ("2019/4/31 0:00", "day is out of range"),
        ("2019/04/01 0", "not a month"),
        ("4月分", "not a month"),
        ("2019年分", "not a month"),
        ("2019-13", "no month 13"),
        ("2019-00", "no month 0"),
        ("2019年2月30日", "day is out of range"),
        ("4月", "not a month"),
        ("abc", "not a month"),
        ("", "not a month"),
        ("2019", "not a month"),
        (2019, "YYYYMM"),
        (True, "true/false"),
        (None, "missing"),
        (float("nan"), "missing"),
        (pd.NaT, "missing"),
        (np.datetime64("NaT"), "missing"),
        (pd.Period("2019Q2", freq="Q"), "not a month"),
        ([2019, 4], "not a month"),
    ],
)
def test_parse_month_errors_name_the_value(value, reason):
    with pytest.raises(EvalkitError) as info:
        parse_month(value)
    msg = str(info.value)
    assert reason in msg
    assert repr(value) in msg


def test_parse_month_error_has_no_location_for_callers_to_add():
    with pytest.raises(EvalkitError) as info:
        parse_month("R1.4")
    assert info.value.file is None and info.value.row is None and info.value.column is None
    assert info.value.reason.startswith("not a month")


@given(st.integers(min_value=1989 * 12 + 1, max_value=2100 * 12 + 11))
def test_era_and_western_labels_round_trip(k):
    p = pd.Period(year=k // 12, month=k % 12 + 1, freq="M")
    assert parse_month(month_label(p)) == p
    assert parse_month(month_label(p, style="western")) == p
    assert parse_month(fullwidth(month_label(p))) == p
    assert parse_month(f"{p.year}/{p.month}") == p


@given(st.dates(min_value=dt.date(1989, 1, 8), max_value=dt.date(2100, 12, 31)))
def test_fiscal_year_of_a_date(d):
    # Definition: the fiscal year starts on 1 April.
    expected = d.year if d >= dt.date(d.year, 4, 1) else d.year - 1
    assert fiscal_year(d) == expected
    assert fiscal_year(pd.Timestamp(d)) == expected


# ----------------------------------------------------------------------------- fiscal years


@pytest.mark.parametrize(
    ("value", "fy"),
    [
        ("2019-04", 2019),
        ("2020-03", 2019),
        ("2019-03", 2018),
        ("平成31年4月", 2019),
        ("令和２年３月", 2019),
        ("R2.4", 2020),
        (dt.date(2020, 3, 31), 2019),
        (pd.Timestamp("2020-04-01"), 2020),
    ],
)
def test_fiscal_year(value, fy):
    assert fiscal_year(value) == fy
    assert isinstance(fiscal_year(value), int)


def test_fiscal_year_series_keeps_index_and_missing():
    s = pd.Series(["2019-04", None, "R2.3", "2020-04"], index=[10, 11, 12, 13])
    out = fiscal_year(s)
    expected = pd.Series(
        [2019, pd.NA, 2019, 2020], index=s.index, dtype="Int64", name="fiscal_year"
    )
    pd.testing.assert_series_equal(out, expected)


def test_fiscal_year_vectorised_period_and_datetime():
    periods = pd.Series(pd.period_range("2019-01", "2020-12", freq="M"))
    expected = [p.year if p.month >= 4 else p.year - 1 for p in periods]
    assert fiscal_year(periods).tolist() == expected
    assert fiscal_year(periods.dt.to_timestamp()).tolist() == expected
    assert fiscal_year(pd.PeriodIndex(periods)).tolist() == expected
    days = pd.Series(pd.period_range("2020-03-31", periods=2, freq="D"))
    assert fiscal_year(days).tolist() == [2019, 2020]


def test_fiscal_year_series_error_names_position_and_value():
    with pytest.raises(EvalkitError) as info:
        fiscal_year(["2019-04", "R1.4"])
    assert "row 2" in str(info.value) and "'R1.4'" in str(info.value)


def test_fiscal_months():
    m = fiscal_months(2019)
    assert list(m.astype(str)) == [f"2019-{k:02d}" for k in range(4, 13)] + [
        "2020-01",
        "2020-02",
        "2020-03",
    ]
    assert set(fiscal_year(pd.Series(m))) == {2019}


@pytest.mark.parametrize(
    ("fy", "style", "label"),
    [
        (2019, "era", "令和元年度"),
        (2020, "era", "令和2年度"),
        (2018, "era", "平成30年度"),
        (1988, "era", "昭和63年度"),
        (1989, "era", "平成元年度"),
        (2019, "fy", "FY2019"),
        (2019, "western", "2019年度"),
    ],
)
def test_fiscal_year_label(fy, style, label):
    assert fiscal_year_label(fy, style=style) == label


def test_label_style_errors():
    with pytest.raises(EvalkitError, match="style"):
        fiscal_year_label(2019, style="roman")
    with pytest.raises(EvalkitError, match="style"):
        month_label("2019-04", style="roman")


def test_month_label_at_the_era_change():
    assert month_label("2019-04") == "平成31年4月"
    assert month_label("2019-05") == "令和元年5月"
    assert month_label("2020-03") == "令和2年3月"


# ----------------------------------------------------------------------------- timings
# Every timing written in the FY2019 report, with the months it stands for.

SCHEDULE_TIMINGS = [
    # 音声認識技術の導入
    ("31年4月", "2019-04", "2019-04", "month"),
    ("９月", "2019-09", "2019-09", "month"),
    ("2年　３月", "2020-03", "2020-03", "month"),
    # RPAの試行導入
    ("元年５～６月", "2019-05", "2019-06", "range"),
    ("７月", "2019-07", "2019-07", "month"),
    ("２年３月", "2020-03", "2020-03", "month"),
    # 共通プラットフォームの利用拡大
    ("４月から９月", "2019-04", "2019-09", "range"),
    ("10月から３月", "2019-10", "2020-03", "range"),
    # 府内市町村におけるサービスの効率化
    ("元年７月まで", None, "2019-07", "until"),
    # 自治体クラウドの導入支援等
    ("31年４月~５月", "2019-04", "2019-05", "range"),
    ("元年10月", "2019-10", "2019-10", "month"),
    # LGWAN府域ネットワークの更新の支援
    ("元年５月～８月", "2019-05", "2019-08", "range"),
    ("９月～１月", "2019-09", "2020-01", "range"),
    ("２月～", "2020-02", None, "from"),
    ("２月～　　　・・・", "2020-02", None, "from"),
    ("元年５月～８月・・・", "2019-05", "2019-08", "range"),
]

PROGRESS_TIMINGS = [
    ("４月", "2019-04", "2019-04", "month"),
    ("３月", "2020-03", "2020-03", "month"),
    ("5～6月", "2019-05", "2019-06", "range"),
    ("7月～", "2019-07", None, "from"),
    ("9～10月", "2019-09", "2019-10", "range"),
    ("4～6月", "2019-04", "2019-06", "range"),
    ("7月", "2019-07", "2019-07", "month"),
    ("令和元年10月", "2019-10", "2019-10", "month"),
    ("令和元年10月\nから11月", "2019-10", "2019-11", "range"),
    ("令和元年10月から11月", "2019-10", "2019-11", "range"),
    ("令和元年５月から6月", "2019-05", "2019-06", "range"),
    ("令和元年11月から12月", "2019-11", "2019-12", "range"),
    ("令和元年12月4日", "2019-12", "2019-12", "month"),
    ("令和元年５月から７月", "2019-05", "2019-07", "range"),
    ("令和２年１月", "2020-01", "2020-01", "month"),
    ("令和２年２月", "2020-02", "2020-02", "month"),
    ("R２年３月末時点", "2020-03", "2020-03", "month"),
    ("令和2年度", "2020-04", "2021-03", "fiscal_year"),
    # the years of the agreements (協定の締結実績): Heisei, whole calendar years
    ("28年", "2016-01", "2016-12", "year"),
    ("30年", "2018-01", "2018-12", "year"),
    # the scorecard issue's own example
    ("2年2月", "2020-02", "2020-02", "month"),
]


@pytest.mark.parametrize(("text", "start", "end", "kind"), SCHEDULE_TIMINGS + PROGRESS_TIMINGS)
def test_report_timings(text, start, end, kind):
    t = parse_timing(text, fiscal_year=2019)
    assert t == Timing(
        text, None if start is None else P(start), None if end is None else P(end), kind, None
    )


@pytest.mark.parametrize("text", ["随時", "年４回程度", "適宜", "随時　", "必要に応じて", "毎月"])
def test_recurring_timings_are_flagged_not_guessed(text):
    t = parse_timing(text, fiscal_year=2019)
    assert (t.text, t.start, t.end, t.kind, t.flag) == (
        text,
        None,
        None,
        "unscheduled",
        FLAG_RECURRING,
    )
    assert not t.is_dated


@pytest.mark.parametrize("text", ["来年度", "9", "4~6", "早期", "元年~3月", "同年5月"])
def test_unrecognised_text_is_flagged(text):
    t = parse_timing(text, fiscal_year=2019)
    assert (t.start, t.end, t.kind, t.flag) == (None, None, "unscheduled", FLAG_UNRECOGNISED)


def test_reiwa_first_year_before_may_is_read_and_flagged():
    # The report writes 令和元年４月 for April 2019 (平成31年4月).
    t = parse_timing("令和元年４月から同年5月", fiscal_year=2019)
    assert (t.start, t.end, t.kind) == (P("2019-04"), P("2019-05"), "range")
    assert "令和元年4月" in t.flag and "2019-04" in t.flag
    with pytest.raises(EvalkitError):  # parse_month stays strict
        parse_month("令和元年4月")


@pytest.mark.parametrize(
    ("text", "start", "end", "kind"),
    [
        ("令和元年５月から７月にかけて", "2019-05", "2019-07", "range"),
        ("7月以降", "2019-07", None, "from"),
        ("元年11月～2月", "2019-11", "2020-02", "range"),  # end continues past December
        ("R1.5~R1.8", "2019-05", "2019-08", "range"),
        ("2019/4~2019/6", "2019-04", "2019-06", "range"),
        ("2019-04", "2019-04", "2019-04", "month"),
        ("2019年10月から2020年3月", "2019-10", "2020-03", "range"),
        ("28年～30年", "2016-01", "2018-12", "range"),
        ("令和元年", "2019-05", "2019-12", "year"),
        ("9月頃", "2019-09", "2019-09", "month"),
        ("9月下旬（予定）", "2019-09", "2019-09", "month"),
        ("元年度", "2019-04", "2020-03", "fiscal_year"),
        ("元年10月〜12月", "2019-10", "2019-12", "range"),
        ("元年10月－12月", "2019-10", "2019-12", "range"),
        ("３月までに", None, "2020-03", "until"),
    ],
)
def test_other_timing_forms(text, start, end, kind):
    t = parse_timing(text, fiscal_year=2019)
    assert (t.start, t.end, t.kind) == (
        None if start is None else P(start),
        None if end is None else P(end),
        kind,
    )


@pytest.mark.parametrize(
    ("fy", "text", "expected"),
    [
        # bare year N is Reiwa when N <= (Reiwa year of the fiscal year) + 1
        (2019, "2年4月", "2020-04"),
        (2019, "3年4月", "1991-04"),
        (2020, "3年4月", "2021-04"),
        (2020, "4年4月", "1992-04"),
        (2018, "元年5月", "2019-05"),
        (2018, "30年4月", "2018-04"),
        (2015, "元年5月", "1989-05"),  # before Reiwa every bare year is Heisei
    ],
)
def test_bare_year_rule(fy, text, expected):
    assert parse_timing(text, fiscal_year=fy).start == P(expected)


@given(st.integers(min_value=1, max_value=12), st.integers(min_value=1990, max_value=2090))
def test_bare_months_fall_in_the_fiscal_year(month, fy):
    t = parse_timing(fullwidth(f"{month}月"), fiscal_year=fy)
    assert t.start == t.end
    assert fiscal_year(t.start) == fy
    assert t.start.month == month


@given(
    st.integers(min_value=1, max_value=12),
    st.integers(min_value=1, max_value=12),
    st.sampled_from(["～", "~", "〜", "-", "から"]),
)
def test_bare_month_ranges_never_run_backwards(a, b, sep):
    t = parse_timing(f"{a}月{sep}{b}月", fiscal_year=2019)
    assert t.start.month == a and t.end.month == b
    assert P("2019-04") <= t.start <= P("2020-03")
    assert t.start <= t.end < t.start + 12


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("13月", "no month 13"),
        ("平成32年", "平成 ended on 2019-04-30"),
        ("32年4月", "平成 ended on 2019-04-30"),
        ("元年10月から元年9月", "before it starts"),
        ("令和2年2月30日", "day is out of range"),
        ("　", "empty timing"),
    ],
)
def test_timing_errors_name_the_value(text, reason):
    with pytest.raises(EvalkitError) as info:
        parse_timing(text, fiscal_year=2019)
    assert reason in str(info.value)
    assert repr(text) in str(info.value)


@pytest.mark.parametrize("fy", ["2019", 2019.0, None, True])
def test_fiscal_year_argument_must_be_an_int(fy):
    with pytest.raises(EvalkitError, match="fiscal_year"):
        parse_timing("９月", fiscal_year=fy)


def test_timing_must_be_text():
    with pytest.raises(EvalkitError, match="text"):
        parse_timing(201904, fiscal_year=2019)


def test_timing_is_frozen():
    t = parse_timing("９月", fiscal_year=2019)
    with pytest.raises(AttributeError):
        t.start = None


# ----------------------------------------------------------------------------- schedules
# The seven schedules of the report, lines as written.

REPORT_SCHEDULES = [
    (
        ["31年4月", "　　　　　 ９月", "　　2年　３月"],
        [("2019-04", "2019-04"), ("2019-09",) * 2, ("2020-03",) * 2],
    ),
    (
        ["　元年５～６月", "　　　　７月", "　　　　９月", "　２年３月"],
        [("2019-05", "2019-06"), ("2019-07",) * 2, ("2019-09",) * 2, ("2020-03",) * 2],
    ),
    (["　　４月から９月", "　　10月から３月"], [("2019-04", "2019-09"), ("2019-10", "2020-03")]),
    (["随時", "年４回程度"], [(None, None), (None, None)]),
    (["元年７月まで", "適宜"], [(None, "2019-07"), (None, None)]),
    (
        ["31年４月~５月", "元年10月", "随時"],
        [("2019-04", "2019-05"), ("2019-10",) * 2, (None, None)],
    ),
    (
        ["元年５月～８月・・・", "９月～１月・・・", "２月～　　　・・・"],
        [("2019-05", "2019-08"), ("2019-09", "2020-01"), ("2020-02", None)],
    ),
]


@pytest.mark.parametrize(("lines", "expected"), REPORT_SCHEDULES)
def test_report_schedules(lines, expected):
    got = parse_schedule(lines, fiscal_year=2019)
    assert [(t.start, t.end) for t in got] == [
        tuple(None if x is None else P(x) for x in pair) for pair in expected
    ]
    # for one fiscal year's schedules, line-by-line and stand-alone readings agree
    assert got == [parse_timing(line, fiscal_year=2019) for line in lines]


def test_schedule_keeps_time_order_past_march():
    got = parse_schedule(["元年10月", "２月", "随時", "４月"], fiscal_year=2019)
    assert [t.start for t in got] == [P("2019-10"), P("2020-02"), None, P("2020-04")]
    # stand-alone, April is placed in the plan's fiscal year
    assert parse_timing("４月", fiscal_year=2019).start == P("2019-04")


def test_schedule_error_names_line_and_value():
    with pytest.raises(EvalkitError) as info:
        parse_schedule(["31年4月", "13月"], fiscal_year=2019)
    assert "row 2" in str(info.value) and "'13月'" in str(info.value)
    with pytest.raises(EvalkitError, match="row 1"):
        parse_schedule([None], fiscal_year=2019)
    with pytest.raises(EvalkitError, match="list"):
        parse_schedule("31年4月", fiscal_year=2019)


def test_normalisation_matches_unicode_nfkc():
    # full-width forms are read through NFKC, so any NFKC-equal spelling parses the same
    text = "元年５月～８月"
    a = parse_timing(text, fiscal_year=2019)
    b = parse_timing(unicodedata.normalize("NFKC", text), fiscal_year=2019)
    assert (a.start, a.end, a.kind) == (b.start, b.end, b.kind)
