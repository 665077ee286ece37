"""Errors name the file's own rows after loading; numeric() refuses non-quantities."""

import datetime
import decimal

import numpy as np
import pandas as pd
import pytest

import evalkit as ek
from evalkit.datasets import RPA_TRIAL, SATISFACTION_SURVEY


def _write(path, text):
    path.write_text(text, encoding="utf-8")
    return path


def test_answer_error_names_the_file_row_when_blank_lines_were_skipped(tmp_path):
    path = _write(
        tmp_path / "survey.csv",
        "回答者ID,部局,所属,回答\nS1,総務部,人事課,満足\n\n\nS2,総務部,財政課,よくない\n",
    )
    survey = ek.read_table(path, SATISFACTION_SURVEY)
    with pytest.raises(ek.EvalkitError) as err:
        ek.satisfaction_rate(survey, answers="answer")
    msg = str(err.value)
    assert msg.startswith("survey.csv, row 5, column 'answer', value 'よくない'")


def test_reduction_error_names_the_file_row_after_a_title_row(tmp_path):
    # a title row, the header in row 2, a blank line: the bad record is file row 6
    path = _write(
        tmp_path / "rpa.csv",
        "RPA試行 実績\n月,所属,業務,実行回数,導入前時間,導入後時間\n"
        "2019-07,財政課,照合,4,10,2\n2019-08,財政課,照合,4,10,2\n\n2019-07,人事課,集計,2,0,1\n",
    )
    trial = ek.read_table(path, RPA_TRIAL)
    assert trial.attrs["source_rows"] == ((3, 2), (6, 1))
    edited = trial.copy()
    edited.loc[2, "hours_after"] = float("nan")  # label 2 = third record = file row 6
    with pytest.raises(ek.EvalkitError) as err:
        ek.reduction(edited, before="hours_before", after="hours_after", random_state=0)
    assert str(err.value).startswith("rpa.csv, row 6, column 'hours_after'"), str(err.value)


def test_a_filtered_or_sorted_frame_still_names_file_rows(tmp_path):
    path = _write(
        tmp_path / "survey.csv",
        "回答者ID,部局,所属,回答\nS1,総務部,人事課,満足\n\nS2,総務部,財政課,よくない\n",
    )
    survey = ek.read_table(path, SATISFACTION_SURVEY)
    subset = survey[survey["department"] == "財政課"]
    with pytest.raises(ek.EvalkitError, match=r"^survey\.csv, row 4, column 'answer'"):
        ek.satisfaction_rate(subset, answers="answer")
    reordered = survey.sort_values("department", ascending=False)
    with pytest.raises(ek.EvalkitError, match=r"^survey\.csv, row 4, column 'answer'"):
        ek.satisfaction_rate(reordered, answers="answer")


def test_a_frame_not_read_from_a_file_counts_spreadsheet_rows():
    import pandas as pd

    frame = pd.DataFrame({"answer": ["満足", "よくない"]})
    with pytest.raises(ek.EvalkitError, match=r"^row 3, column 'answer', value 'よくない'"):
        ek.satisfaction_rate(frame, answers="answer")


# --------------------------------------------------------------------------- numeric()
# pandas.to_numeric would turn these into numbers (1/0, nanoseconds since 1970,
# nanoseconds, period ordinals); numeric() refuses them, naming row, column and value.

_DATE = "a date or time, not a number"
_SPAN = "a time span, not a number"


@pytest.mark.parametrize(
    ("values", "parts"),
    [
        (
            pd.Series(pd.to_datetime(["2019-04-01", "2019-05-01"])),
            ["row 2", "column 'hours'", "Timestamp('2019-04-01 00:00:00')", _DATE],
        ),
        (
            pd.Series(pd.to_datetime([None, "2019-05-01"]).tz_localize("Asia/Tokyo")),
            ["row 3", "column 'hours'", "2019-05-01 00:00:00+0900", _DATE],
        ),
        (
            pd.Series(pd.to_timedelta(["1h", "2h"])),
            ["row 2", "column 'hours'", "Timedelta('0 days 01:00:00')", _SPAN, "total_seconds"],
        ),
        (
            pd.Series(pd.period_range("2019-04", periods=2, freq="M")),
            ["row 2", "column 'hours'", "Period('2019-04', 'M')", "a period, not a number"],
        ),
        (
            pd.Series([True, False]),
            ["row 2", "column 'hours'", "value True", "true/false"],
        ),
        (
            pd.Series([None, True], dtype="boolean"),
            ["row 3", "column 'hours'", "value True", "true/false"],
        ),
        (
            pd.Series([3.0, True], dtype=object),
            ["row 3", "column 'hours'", "value True", "true/false"],
        ),
        (
            pd.Series([3.0, np.False_], dtype=object),
            ["row 3", "column 'hours'", "value False", "true/false"],
        ),
        (
            pd.Series([3.0, None, pd.Timestamp("2019-04-01")], dtype=object),
            ["row 4", "column 'hours'", "Timestamp('2019-04-01 00:00:00')", _DATE],
        ),
        (
            pd.Series([3.0, datetime.date(2019, 4, 1)], dtype=object),
            ["row 3", "column 'hours'", "datetime.date(2019, 4, 1)", _DATE],
        ),
        (
            pd.Series([3.0, datetime.time(1, 30)], dtype=object),
            ["row 3", "column 'hours'", "datetime.time(1, 30)", _DATE],
        ),
        (
            pd.Series([3.0, datetime.timedelta(hours=2)], dtype=object),
            ["row 3", "column 'hours'", "datetime.timedelta(seconds=7200)", _SPAN],
        ),
        (
            pd.Series([3.0, pd.Timedelta("2h")], dtype=object),
            ["row 3", "column 'hours'", "Timedelta('0 days 02:00:00')", _SPAN],
        ),
        (
            pd.Series([3.0, pd.Period("2019-04", "M")], dtype=object),
            ["row 3", "column 'hours'", "Period('2019-04', 'M')", "a period"],
        ),
    ],
)
def test_numeric_refuses_bools_dates_time_spans_and_periods(values, parts):
    frame = pd.DataFrame({"hours": values, "after": [0.0] * len(values)})
    with pytest.raises(ek.EvalkitError) as err:
        ek.reduction(frame, before="hours", after="after")
    for part in parts:
        assert part in str(err.value), (part, str(err.value))


def test_numeric_still_reads_numbers_in_object_columns():
    from evalkit._validation import numeric

    values = pd.Series(
        [1, 2.5, "3", " 4 ", None, np.int64(5), decimal.Decimal("1.5")], dtype=object
    )
    out = numeric(values, column="x", file=None, tabular=False, allow_missing=True)
    np.testing.assert_array_equal(out, [1, 2.5, 3, 4, np.nan, 5, 1.5])


# --------------------------------------------------------------------- select() and numeric()


def test_two_columns_with_one_name_are_refused_naming_it():
    from evalkit._validation import select

    frame = pd.DataFrame([[1.0, 2.0, 3.0]], columns=["hours_before", "hours_after", "hours_before"])
    with pytest.raises(ek.EvalkitError) as err:
        select(frame, "hours_before", role="before")
    assert "column 'hours_before'" in str(err.value) and "2 columns" in str(err.value)
    with pytest.raises(ek.EvalkitError, match="hours_before"):
        ek.reduction(frame, before="hours_before", after="hours_after")


def test_a_column_name_naming_several_columns_of_a_multiindex_is_refused():
    from evalkit._validation import select

    frame = pd.DataFrame([[1.0, 2.0]], columns=pd.MultiIndex.from_tuples([("h", "a"), ("h", "b")]))
    with pytest.raises(ek.EvalkitError, match="2 columns"):
        select(frame, "h", role="before")


@pytest.mark.parametrize(
    "values",
    [
        pd.Series([1 + 2j, 3 + 0j]),
        pd.Series([1.0, 3 + 1j], dtype=object),
        pd.Series([1.0, np.complex64(3)], dtype=object),
    ],
)
def test_numeric_refuses_complex_numbers(values):
    from evalkit._validation import numeric

    with pytest.raises(ek.EvalkitError) as err:
        numeric(values, column="hours", file="a.csv", tabular=True)
    msg = str(err.value)
    assert "complex" in msg and "column 'hours'" in msg and "a.csv" in msg
    frame = pd.DataFrame({"hours": values, "after": [0.0] * len(values)})
    with pytest.raises(ek.EvalkitError, match="complex"):
        ek.reduction(frame, before="hours", after="after")


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("人事課", None),
        ("人事課　総務係\t\r\n", None),
        ("①㈱髙﨑ⅰ～", None),
        ("人事\u200b課", "\u200b"),
        ("\ufeff人事課", "\ufeff"),
        ("人事\u00ad課", "\u00ad"),
        ("a\x0bb", "\x0b"),
        ("\ue000", "\ue000"),
        ("\U000e0041", "\U000e0041"),
    ],
)
def test_invisible_character(text, found):
    from evalkit._validation import invisible_character

    assert invisible_character(text) == found


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("１，８００時間", None),
        ("△3.5", None),
        ("10²", "²"),
        ("①", "①"),
        ("٣", "٣"),
        ("㏠", "㏠"),
        ("Ⅻ", "Ⅻ"),
        ("〇", "〇"),
    ],
)
def test_foreign_digit(text, found):
    from evalkit._validation import foreign_digit

    assert foreign_digit(text) == found


def test_describe_character():
    from evalkit._validation import describe_character

    assert describe_character("\u200b") == "U+200B ZERO WIDTH SPACE"
    assert describe_character("\x07") == "U+0007 (a control character)"
    assert describe_character("\ue000").startswith("U+E000 (a private-use character")
