"""Tests of evalkit.stats.satisfaction: satisfaction_rate, by=, errors, properties."""

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose
from scipy import stats
from stats_helpers import JA5, METHODS
from statsmodels.stats.proportion import binom_test as sm_binom_test
from statsmodels.stats.proportion import proportion_confint

from evalkit._results import SUMMARY_COLUMNS
from evalkit.errors import EvalkitError
from evalkit.stats.satisfaction import SatisfactionResult, satisfaction_rate

# ------------------------------------------------------------- satisfaction_rate


def _fy2019(blank=None):
    """78 of 93 valid answers in the top two categories, 23 blank: the FY2019 survey."""
    blank = [None] * 23 if blank is None else blank
    return ["大変満足"] * 31 + ["満足"] * 47 + ["どちらともいえない"] * 11 + ["不満"] * 4 + blank


def test_fy2019_figure():
    # FY2019 progress report: satisfaction 83.87 % (大変満足 + 満足) against a 70 % target.
    res = satisfaction_rate(answers=_fy2019(), target=0.70)
    assert isinstance(res, SatisfactionResult)
    assert (res.n, res.n_positive, res.n_missing) == (93, 78, 23)
    assert round(res.rate, 4) == 0.8387
    assert res.meets_target is True
    assert res.positive == ("大変満足", "満足")
    # statsmodels proportion_confint(78, 93, method="wilson")
    assert_allclose(res.ci, proportion_confint(78, 93, method="wilson"), rtol=1e-12)
    # statsmodels binom_test(78, 93, prop=0.7, alternative="larger")
    assert_allclose(res.p_value, sm_binom_test(78, 93, prop=0.7, alternative="larger"), rtol=1e-9)
    assert res.meets_target_confidently is True


def test_p_value_is_the_upper_binomial_tail():
    # P(X >= 78) for X ~ Bin(93, 0.7), summed from scipy.stats.binom.pmf
    ref = stats.binom.pmf(np.arange(78, 94), 93, 0.7).sum()
    res = satisfaction_rate(answers=_fy2019(), target=0.7)
    assert_allclose(res.p_value, ref, rtol=1e-9)
    # R: binom.test(682, 925, p = 3/4, alternative = "greater") is the complement of
    # pbinom(681, 925, 0.75); statsmodels gives the same.
    answers = ["満足"] * 682 + ["不満"] * 243
    res = satisfaction_rate(answers=answers, target=0.75, method="clopper-pearson")
    assert_allclose(res.p_value, stats.binom.sf(681, 925, 0.75), rtol=1e-9)
    assert res.meets_target is False and res.meets_target_confidently is False


def test_target_met_but_not_confidently():
    res = satisfaction_rate(answers=["満足"] * 15 + ["不満"] * 5, target=0.70)
    assert res.rate == 0.75
    assert res.meets_target is True
    assert res.meets_target_confidently is False
    assert res.p_value > 0.05


def test_floating_point_noise_does_not_flip_verdicts():
    # 7 of 10 satisfied is 70 %; a target computed as 0.1 * 7 is 0.7000000000000001 in
    # binary. Within a relative 1e-9 of the target counts as equal (hand arithmetic).
    target = 0.1 * 7
    assert 7 / 10 < target
    answers = ["満足"] * 7 + ["不満"] * 3
    res = satisfaction_rate(answers=answers, target=target)
    assert res.meets_target is True
    low = res.ci[0]
    on_bound = satisfaction_rate(answers=answers, target=low * (1 + 1e-12))
    assert on_bound.meets_target_confidently is True
    above = satisfaction_rate(answers=answers, target=low + 2e-9)
    assert above.meets_target_confidently is False
    assert satisfaction_rate(answers=answers, target=0.7 + 2e-9).meets_target is False
    table = satisfaction_rate(
        pd.DataFrame({"answer": answers, "g": ["a"] * 10}), answers="answer", by="g", target=target
    )
    assert table.loc[0, "meets_target"] == True  # noqa: E712
    from evalkit.stats.satisfaction import min_n_to_confirm, target_sensitivity

    sens = target_sensitivity(0.7, n=[10, 1000], target=target)
    assert sens["meets_target"].tolist() == [True, True]
    # a rate equal to its target (up to noise) is never confirmed
    assert min_n_to_confirm(0.7, target=target) is None


def test_clopper_pearson_interval_and_test_agree():
    # With the exact interval, ci_low >= target exactly when the one-sided p <= alpha / 2.
    for k in range(0, 41):
        res = satisfaction_rate(
            answers=["満足"] * k + ["不満"] * (40 - k), target=0.6, method="exact"
        )
        assert res.meets_target_confidently == (res.p_value <= 0.025)
        assert res.method == "clopper-pearson"


def test_counts_in_scale_order_with_zeros_and_mean_score():
    answers = ["不満", "満足", "満足", "大変満足", "普通", "非常に満足"]
    res = satisfaction_rate(answers=answers)
    assert res.counts.index.tolist() == JA5
    assert res.counts.tolist() == [2, 2, 1, 1, 0]
    assert res.counts.name == "count"
    assert res.counts.dtype == np.int64
    assert res.scale == tuple(JA5)
    # Scores 5 (大変満足) .. 1 (大変不満), mean by hand with numpy.
    assert_allclose(res.mean_score, np.mean([2, 4, 4, 5, 3, 5]))
    assert res.n_positive == 4


def test_no_target():
    res = satisfaction_rate(answers=["満足", "不満"])
    assert res.target is None
    assert res.p_value is None and res.meets_target is None
    assert res.meets_target_confidently is None
    assert "p_value" not in res.summary()["metric"].tolist()
    assert "target" not in res.summary()["metric"].tolist()
    assert not any(line.startswith("target") for line in res._notes())


@pytest.mark.parametrize(
    ("positive", "expected", "n_positive"),
    [
        ("大変満足", ("大変満足",), 1),
        (["満足", "大変満足"], ("大変満足", "満足"), 3),
        (["やや満足"], ("満足",), 2),  # alias
        (("満足", "どちらともいえない", "満足"), ("満足", "どちらともいえない"), 3),
    ],
)
def test_positive_categories(positive, expected, n_positive):
    res = satisfaction_rate(answers=["大変満足", "満足", "満足", "普通", "不満"], positive=positive)
    assert res.positive == expected
    assert res.n_positive == n_positive
    assert res.rate == n_positive / 5


def test_default_positive_by_scale_size():
    assert satisfaction_rate(answers=["Satisfied"], scale="en4").positive == (
        "Very satisfied",
        "Satisfied",
    )
    assert satisfaction_rate(answers=["満足"], scale="ja4").positive == ("大変満足", "満足")
    assert satisfaction_rate(answers=["a"], scale=["a", "b", "c"]).positive == ("a",)
    assert satisfaction_rate(answers=["no"], scale=["yes", "no"]).positive == ("yes",)
    res = satisfaction_rate(answers=[5, 4, 4, 3, 1, np.nan], scale=[5, 4, 3, 2, 1])
    assert (res.n, res.n_positive, res.n_missing) == (5, 3, 1)


def test_data_frame_input_excluded_rows_and_no_mutation():
    df = pd.DataFrame(
        {
            "department": ["a", "b", "c", "d", "e", "f"],
            "answer": ["満足", None, "大変満足", "  ", "不満", "\u3000"],
        },
        index=[100, 101, 102, 103, 104, 105],
    )
    before = df.copy()
    res = satisfaction_rate(df, answers="answer")
    pd.testing.assert_frame_equal(df, before)
    assert (res.n, res.n_positive, res.n_missing) == (3, 2, 3)
    ex = res.excluded
    assert ex.columns.tolist() == ["row", "column", "value", "reason"]
    # Spreadsheet rows: header is row 1, so the second data row is row 3.
    assert ex["row"].tolist() == [3, 5, 7]
    assert ex["column"].tolist() == ["answer"] * 3
    assert ex["value"].tolist()[1:] == ["  ", "\u3000"]
    assert pd.isna(ex["value"].iloc[0])
    assert "3 blank answer(s) left out of the denominator (rows 3, 5, 7)" in str(res)


def test_no_blanks_means_empty_excluded():
    res = satisfaction_rate(answers=["満足", "不満"])
    assert res.excluded.empty
    assert res.excluded.columns.tolist() == ["row", "column", "value", "reason"]


def test_summary_rows_and_display():
    res = satisfaction_rate(answers=_fy2019(), target=0.7, confidence=0.9, method="jeffreys")
    summ = res.summary()
    assert summ.columns.tolist() == SUMMARY_COLUMNS
    assert summ["metric"].tolist() == [
        "n",
        "n_positive",
        "n_missing",
        "rate",
        "target",
        "p_value",
        "response_rate",
        "nonresponse_low",
        "nonresponse_high",
        "mean_score",
        *[f"count: {c}" for c in JA5],
    ]
    assert summ["unit"].tolist() == (
        ["answers"] * 3 + ["ratio", "ratio", "p"] + ["ratio"] * 3 + ["score"] + ["answers"] * 5
    )
    target = summ.set_index("metric").loc["target"]
    assert target["value"] == 0.7 and pd.isna(target["ci_low"]) and pd.isna(target["ci_high"])
    rate = summ.set_index("metric").loc["rate"]
    assert (rate["value"], rate["ci_low"], rate["ci_high"]) == (res.rate, *res.ci)
    assert summ.set_index("metric").loc["count: 不満", "value"] == 4
    text = str(res)
    assert text.startswith("Satisfaction rate")
    assert "90% Jeffreys interval" in text
    assert "target 70%: met (rate 83.87%); the lower bound is also at or above it" in text
    assert repr(res) == text
    assert "<table" in res._repr_html_() and "Jeffreys" in res._repr_html_()


def test_result_is_frozen():
    res = satisfaction_rate(answers=["満足"])
    with pytest.raises(AttributeError):
        res.rate = 0.5


# ------------------------------------------------------------------------- by=


def test_by_group_matches_ungrouped_calls():
    df = pd.DataFrame(
        {
            "bureau": ["総務部", "土木部", "総務部", "土木部", "健康福祉部", "総務部", "土木部"],
            "answer": ["大変満足", "不満", "満足", None, "満足", "どちらともいえない", "満足"],
        }
    )
    out = satisfaction_rate(df, answers="answer", by="bureau", target=0.5, method="jeffreys")
    assert out.columns.tolist() == [
        "bureau",
        "n",
        "n_positive",
        "n_missing",
        "rate",
        "ci_low",
        "ci_high",
        "target",
        "p_value",
        "p_value_holm",
        "meets_target",
        "meets_target_confidently",
        "meets_target_holm",
        "mean_score",
        "response_rate",
        "nonresponse_low",
        "nonresponse_high",
        "meets_target_under_nonresponse",
    ]
    assert out["bureau"].tolist() == sorted(df["bureau"].unique())
    for _, row in out.iterrows():
        sub = df[df["bureau"] == row["bureau"]]
        ref = satisfaction_rate(sub, answers="answer", target=0.5, method="jeffreys")
        assert (row["n"], row["n_positive"], row["n_missing"]) == (
            ref.n,
            ref.n_positive,
            ref.n_missing,
        )
        assert_allclose(
            [row["rate"], row["ci_low"], row["ci_high"], row["p_value"], row["mean_score"]],
            [ref.rate, *ref.ci, ref.p_value, ref.mean_score],
        )
        assert row["meets_target"] == ref.meets_target
        assert row["meets_target_confidently"] == ref.meets_target_confidently
    assert out["meets_target"].dtype == "boolean"
    assert out.attrs["method"] == "jeffreys"


def test_by_array_like_and_all_blank_group():
    out = satisfaction_rate(answers=["満足", None, "不満", "満足"], by=[2, 1, 2, 3])
    assert out["group"].tolist() == [1, 2, 3]
    first = out.iloc[0]
    assert (first["n"], first["n_missing"]) == (0, 1)
    assert math.isnan(first["rate"]) and math.isnan(first["ci_low"])
    assert pd.isna(first["meets_target"])
    assert out["n"].tolist() == [0, 2, 1]
    assert out["target"].isna().all() and out["p_value"].isna().all()
    named = satisfaction_rate(answers=["満足", "不満"], by=pd.Series(["x", "y"], name="所属"))
    assert named.columns[0] == "所属"


def test_by_errors():
    with pytest.raises(EvalkitError) as info:
        satisfaction_rate(answers=["満足", "不満"], by=["a"])
    assert "by has 1 values but answers has 2" in str(info.value)
    df = pd.DataFrame({"bureau": ["a", None, "b"], "answer": ["満足", "不満", "満足"]})
    with pytest.raises(EvalkitError) as info:
        satisfaction_rate(df, answers="answer", by="bureau")
    err = info.value
    assert (err.row, err.column) == (3, "bureau")
    assert str(err).startswith("row 3, column 'bureau', value ")
    assert "missing group value" in str(err)
    with pytest.raises(EvalkitError, match="column 'dept': column not found"):
        satisfaction_rate(df, answers="answer", by="dept")


# ------------------------------------------------------------------------ errors


def test_answer_not_on_scale_names_file_row_column_value():
    df = pd.DataFrame({"answer": ["満足", "不満", "無回答"]})
    df.attrs["source"] = "satisfaction_survey.csv"
    with pytest.raises(EvalkitError) as info:
        satisfaction_rate(df, answers="answer")
    err = info.value
    assert (err.file, err.row, err.column, err.value) == (
        "satisfaction_survey.csv",
        4,
        "answer",
        "無回答",
    )
    assert str(err).startswith(
        "satisfaction_survey.csv, row 4, column 'answer', value '無回答': not on scale 'ja5'; "
        "allowed answers: 大変満足, 満足, どちらともいえない, 不満, 大変不満"
    )


def test_numeric_answers_on_a_named_scale_are_rejected():
    with pytest.raises(EvalkitError) as info:
        satisfaction_rate(answers=["満足", 4])
    assert str(info.value).startswith("row 2, column 'answers', value 4: not on scale 'ja5'")
    assert "numeric codes are not guessed" in str(info.value)


def test_empty_and_all_blank():
    df = pd.DataFrame({"answer": pd.Series([], dtype=object)})
    with pytest.raises(EvalkitError, match=r"^column 'answer': no answers: the data are empty"):
        satisfaction_rate(df, answers="answer")
    with pytest.raises(EvalkitError, match=r"^column 'answers': no answers"):
        satisfaction_rate(answers=[])
    with pytest.raises(EvalkitError, match=r"^column 'answers': all 3 answers are blank"):
        satisfaction_rate(answers=[None, "", " "])
    with pytest.raises(EvalkitError, match="column not found"):
        satisfaction_rate(df, answers="回答")


@pytest.mark.parametrize("positive", ["とても良い", ["満足", "Satisfied"], [], [None]])
def test_positive_not_on_scale(positive):
    with pytest.raises(EvalkitError) as info:
        satisfaction_rate(answers=["満足"], positive=positive)
    assert str(info.value).startswith("column 'positive', value ")
    if positive:
        bad = positive if isinstance(positive, str) else positive[-1]
        assert f"value {bad!r}: positive category not on scale 'ja5'" in str(info.value)
        assert "allowed: 大変満足, 満足, どちらともいえない, 不満, 大変不満" in str(info.value)
    else:
        assert "positive must name at least one category" in str(info.value)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"method": "wald"}, "column 'method', value 'wald': unknown interval method"),
        ({"confidence": 1.0}, "column 'confidence', value 1.0: confidence must be"),
        ({"confidence": 0}, "column 'confidence', value 0: confidence must be"),
        ({"target": 70}, "column 'target', value 70: target must be a proportion"),
        ({"target": -0.1}, "column 'target', value -0.1: target must be a proportion"),
        ({"target": "70%"}, "column 'target', value '70%': target must be a proportion"),
        ({"target": True}, "column 'target', value True: target must be a proportion"),
        ({"scale": "ja3"}, "value 'ja3': unknown scale"),
    ],
)
def test_parameter_errors(kwargs, message):
    with pytest.raises(EvalkitError) as info:
        satisfaction_rate(answers=["満足"], **kwargs)
    assert str(info.value).startswith(message)


@pytest.mark.parametrize("target", [0.0, 1.0])
def test_target_at_the_ends(target):
    res = satisfaction_rate(answers=["満足", "不満"], target=target)
    # scipy.stats.binomtest(1, 2, p=target, alternative="greater")
    assert res.p_value == stats.binomtest(1, 2, p=target, alternative="greater").pvalue
    assert res.meets_target is (target == 0.0)


# ------------------------------------------------------------------- properties

answer_lists = st.lists(
    st.sampled_from(JA5 + ["非常に満足", "普通", "とても不満"]), min_size=1, max_size=60
)


@settings(max_examples=60, deadline=None)
@given(answers=answer_lists, method=st.sampled_from(METHODS), seed=st.integers(0, 2**32 - 1))
def test_property_answer_order_does_not_matter(answers, method, seed):
    shuffled = list(np.random.default_rng(seed).permutation(np.array(answers, dtype=object)))
    a = satisfaction_rate(answers=answers, method=method, target=0.6)
    b = satisfaction_rate(answers=shuffled, method=method, target=0.6)
    assert (a.n, a.n_positive, a.rate, a.ci, a.p_value) == (
        b.n,
        b.n_positive,
        b.rate,
        b.ci,
        b.p_value,
    )
    assert a.counts.equals(b.counts)
    assert_allclose(a.mean_score, b.mean_score, rtol=1e-12)


@settings(max_examples=60, deadline=None)
@given(
    answers=answer_lists,
    blanks=st.lists(st.sampled_from([None, "", " ", "\u3000", np.nan]), min_size=1, max_size=20),
    seed=st.integers(0, 2**32 - 1),
)
def test_property_blank_answers_change_n_missing_only(answers, blanks, seed):
    mixed = np.array(answers + blanks, dtype=object)
    mixed = list(np.random.default_rng(seed).permutation(mixed))
    a = satisfaction_rate(answers=answers, target=0.5)
    b = satisfaction_rate(answers=mixed, target=0.5)
    assert b.n_missing == a.n_missing + len(blanks)
    assert len(b.excluded) == len(blanks)
    assert (a.n, a.n_positive, a.rate, a.ci, a.p_value, a.mean_score) == (
        b.n,
        b.n_positive,
        b.rate,
        b.ci,
        b.p_value,
        b.mean_score,
    )
    assert a.counts.equals(b.counts)


@settings(max_examples=60, deadline=None)
@given(answers=answer_lists, method=st.sampled_from(METHODS))
def test_property_rate_in_its_interval(answers, method):
    res = satisfaction_rate(answers=answers, method=method)
    assert 0.0 <= res.ci[0] <= res.rate <= res.ci[1] <= 1.0
    assert 1.0 <= res.mean_score <= 5.0
    assert res.counts.sum() == res.n


def test_by_must_match_the_data_form():
    with pytest.raises(EvalkitError, match="by='bureau' names a column, but no data were given"):
        satisfaction_rate(answers=["満足"], by="bureau")
    df = pd.DataFrame({"answer": ["満足"]})
    with pytest.raises(EvalkitError, match="by= must be a column name"):
        satisfaction_rate(df, answers="answer", by=["a"])


def test_single_blank_note():
    res = satisfaction_rate(answers=["満足", ""])
    assert "1 blank answer(s) left out of the denominator (row 2)" in str(res)
