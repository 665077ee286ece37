"""Errors raised after loading still name the file's own rows."""

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
