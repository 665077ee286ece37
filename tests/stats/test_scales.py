"""Tests of evalkit.stats.scales: built-in scales, aliases, normalisation, custom scales, errors."""

import dataclasses

import numpy as np
import pandas as pd
import pytest

from evalkit.errors import EvalkitError
from evalkit.stats.scales import SCALES, Scale, get_scale, normalise_answer, normalise_answers

JA5 = ("大変満足", "満足", "どちらともいえない", "不満", "大変不満")


def test_builtin_scales_most_positive_first_with_scores():
    assert SCALES["ja5"].labels == JA5
    assert SCALES["ja4"].labels == ("大変満足", "満足", "不満", "大変不満")
    assert SCALES["en5"].labels == (
        "Very satisfied",
        "Satisfied",
        "Neutral",
        "Dissatisfied",
        "Very dissatisfied",
    )
    assert SCALES["en4"].labels == (
        "Very satisfied",
        "Satisfied",
        "Dissatisfied",
        "Very dissatisfied",
    )
    assert dict(SCALES["ja5"].scores) == dict(zip(JA5, [5, 4, 3, 2, 1], strict=True))
    assert dict(SCALES["en4"].scores) == {
        "Very satisfied": 4,
        "Satisfied": 3,
        "Dissatisfied": 2,
        "Very dissatisfied": 1,
    }
    assert set(SCALES) == {"ja5", "ja4", "en5", "en4"}


# Every alias documented in the evalkit.scales module docstring.
JA_ALIASES = {
    "非常に満足": "大変満足",
    "とても満足": "大変満足",
    "やや満足": "満足",
    "まあ満足": "満足",
    "満足している": "満足",
    "やや不満": "不満",
    "不満足": "不満",
    "やや不満足": "不満",
    "非常に不満": "大変不満",
    "とても不満": "大変不満",
    "大変不満足": "大変不満",
    "非常に不満足": "大変不満",
}
JA_NEUTRAL = ["どちらとも言えない", "どちらでもない", "普通", "ふつう"]
EN_ALIASES = {
    "Extremely satisfied": "Very satisfied",
    "Completely satisfied": "Very satisfied",
    "Somewhat satisfied": "Satisfied",
    "Fairly satisfied": "Satisfied",
    "Somewhat dissatisfied": "Dissatisfied",
    "Unsatisfied": "Dissatisfied",
    "Extremely dissatisfied": "Very dissatisfied",
    "Completely dissatisfied": "Very dissatisfied",
    "Very unsatisfied": "Very dissatisfied",
}
EN_NEUTRAL = [
    "Neither satisfied nor dissatisfied",
    "Neither satisfied or dissatisfied",
    "Neither",
    "Neutral / no opinion",
]


@pytest.mark.parametrize("scale", ["ja5", "ja4"])
@pytest.mark.parametrize(("variant", "label"), JA_ALIASES.items())
def test_japanese_aliases(scale, variant, label):
    assert normalise_answer(variant, scale=scale) == label


@pytest.mark.parametrize("variant", JA_NEUTRAL)
def test_japanese_neutral_aliases_on_ja5_only(variant):
    assert normalise_answer(variant, scale="ja5") == "どちらともいえない"
    with pytest.raises(EvalkitError, match="not on scale 'ja4'"):
        normalise_answer(variant, scale="ja4")


@pytest.mark.parametrize("scale", ["en5", "en4"])
@pytest.mark.parametrize(("variant", "label"), EN_ALIASES.items())
def test_english_aliases(scale, variant, label):
    assert normalise_answer(variant, scale=scale) == label
    assert normalise_answer(variant.upper(), scale=scale) == label


@pytest.mark.parametrize("variant", EN_NEUTRAL)
def test_english_neutral_aliases_on_en5_only(variant):
    assert normalise_answer(variant, scale="en5") == "Neutral"
    with pytest.raises(EvalkitError, match="not on scale 'en4'"):
        normalise_answer(variant, scale="en4")


def test_aliases_table_matches_the_scales():
    # The documented tables above are the complete alias lists.
    assert dict(SCALES["ja5"].aliases) == {
        **JA_ALIASES,
        **dict.fromkeys(JA_NEUTRAL, "どちらともいえない"),
    }
    assert dict(SCALES["ja4"].aliases) == JA_ALIASES
    assert dict(SCALES["en5"].aliases) == {**EN_ALIASES, **dict.fromkeys(EN_NEUTRAL, "Neutral")}
    assert dict(SCALES["en4"].aliases) == EN_ALIASES


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("  満足  ", "満足"),
        ("\u3000大変満足\u3000", "大変満足"),  # full-width spaces
        ("\t不満\n", "不満"),
        ("大変 満足", "大変満足"),  # inner space
        ("ＳＡＴＩＳＦＩＥＤ", "Satisfied"),  # full-width letters (NFKC)
        ("very   SATISFIED", "Very satisfied"),
        ("neutral", "Neutral"),
    ],
)
def test_normalisation(raw, expected):
    scale = "en5" if expected.isascii() else "ja5"
    assert normalise_answer(raw, scale=scale) == expected


@pytest.mark.parametrize(
    "blank", [None, np.nan, float("nan"), pd.NA, "", "   ", "\u3000", " \u3000 "]
)
def test_blanks_are_none(blank):
    assert normalise_answer(blank) is None


@pytest.mark.parametrize("code", [5, "5", 5.0, np.int64(5), "５"])
def test_numeric_codes_are_not_guessed(code):
    with pytest.raises(EvalkitError, match="numeric codes are not guessed") as info:
        normalise_answer(code, scale="ja5")
    assert "大変満足, 満足, どちらともいえない, 不満, 大変不満" in str(info.value)
    assert f"value {code!r}" in str(info.value)


@pytest.mark.parametrize("code", [5, "5", 5.0, np.int64(5), "５", " 5 "])
def test_custom_numeric_scale_accepts_codes(code):
    assert normalise_answer(code, scale=[5, 4, 3, 2, 1]) == "5"


def test_custom_scale_scores_and_name():
    sc = get_scale(["Good", "OK", "Bad"])
    assert sc.name == "custom"
    assert sc.labels == ("Good", "OK", "Bad")
    assert dict(sc.scores) == {"Good": 3, "OK": 2, "Bad": 1}
    assert dict(sc.aliases) == {}
    assert sc.match(" good ") == "Good"
    assert len(sc) == 3


def test_get_scale_passes_scale_objects_through():
    sc = Scale("mine", ("yes", "no"), {"y": "yes"})
    assert get_scale(sc) is sc
    assert get_scale("ja5") is SCALES["ja5"]
    assert sc.match("Y") == "yes"


def test_scale_is_frozen_and_hashable():
    sc = SCALES["ja5"]
    with pytest.raises(dataclasses.FrozenInstanceError):
        sc.name = "x"
    with pytest.raises(TypeError):
        sc.aliases["新しい"] = "満足"
    assert hash(sc) == hash(Scale("ja5", sc.labels, dict(sc.aliases), {"やや満足"} | sc.hedged))
    assert get_scale(["a", "b"]) == get_scale(["a", "b"])


@pytest.mark.parametrize(
    ("scale", "message"),
    [
        ("ja7", "unknown scale; built-in scales are ja5, ja4, en5, en4"),
        (["only"], "needs at least 2 distinct labels, got 1"),
        ([], "needs at least 2 distinct labels, got 0"),
        (["満足", "不満", " 満足"], "lists the label '満足' twice"),
        (["Yes", "yes"], "lists the label 'yes' twice"),
        (["Yes", "", "No"], "has a blank label"),
        ({"a": 1}, "got dict"),
        (5, "got int"),
    ],
)
def test_get_scale_errors(scale, message):
    with pytest.raises(EvalkitError, match="value ") as info:
        get_scale(scale)
    assert message in str(info.value)
    assert repr(scale if not isinstance(scale, list) else tuple(scale)) in str(info.value)


def test_scale_definition_errors():
    with pytest.raises(EvalkitError, match="alias 'y' points to 'maybe'"):
        Scale("s", ("yes", "no"), {"y": "maybe"})
    with pytest.raises(EvalkitError, match="alias 'no' is blank or clashes with a label"):
        Scale("s", ("yes", "no"), {"no": "yes"})
    with pytest.raises(EvalkitError, match="hedged wordings must be aliases"):
        Scale("s", ("yes", "no"), {"y": "yes"}, frozenset({"kind of"}))


def test_not_on_scale_names_value_and_allowed_labels():
    with pytest.raises(EvalkitError) as info:
        normalise_answer("満足でない")
    msg = str(info.value)
    assert msg.startswith("value '満足でない': not on scale 'ja5'")
    assert "allowed answers: 大変満足, 満足, どちらともいえない, 不満, 大変不満" in msg
    assert "やや満足" in msg  # the aliases are listed too
    assert "numeric codes" not in msg


def test_normalise_answers_keeps_index_and_does_not_modify_input():
    df = pd.DataFrame({"answer": ["満足", "ふつう", None, " 大変不満"]}, index=[10, 11, 12, 13])
    before = df.copy()
    out = normalise_answers(df, answers="answer")
    assert out.tolist() == ["満足", "どちらともいえない", None, "大変不満"]
    assert out.index.tolist() == [10, 11, 12, 13]
    assert out.name == "answer"
    pd.testing.assert_frame_equal(df, before)
    s = pd.Series(["Satisfied", "neutral"], index=["a", "b"], name="q1")
    out = normalise_answers(answers=s, scale="en5")
    assert out.to_dict() == {"a": "Satisfied", "b": "Neutral"}


def test_normalise_answers_error_names_file_row_column_value():
    df = pd.DataFrame({"answer": ["満足", "不満", "よい"]})
    df.attrs["source"] = "survey.csv"
    with pytest.raises(EvalkitError) as info:
        normalise_answers(df, answers="answer")
    err = info.value
    assert (err.file, err.row, err.column, err.value) == ("survey.csv", 4, "answer", "よい")
    assert str(err).startswith("survey.csv, row 4, column 'answer', value 'よい': not on scale")
    # Plain arrays: the row is the 1-based position.
    with pytest.raises(EvalkitError, match=r"^row 2, column 'answers', value 3: not on scale"):
        normalise_answers(answers=["満足", 3])


@pytest.mark.parametrize(
    ("answers", "first", "second", "row"),
    [
        (["満足", "不満", "やや満足"], "満足", "やや満足", 4),
        (["まあ満足", "大変満足", "満足"], "まあ満足", "満足", 4),
        (["やや不満", "不満"], "やや不満", "不満", 3),
        (["不満足", "大変満足", "やや不満"], "不満足", "やや不満", 4),
    ],
)
def test_plain_and_hedged_wordings_mixed_are_an_error(answers, first, second, row):
    df = pd.DataFrame({"answer": answers})
    with pytest.raises(EvalkitError) as info:
        normalise_answers(df, answers="answer")
    err = info.value
    assert (err.row, err.column, err.value) == (row, "answer", second)
    assert f"the answers use both {first!r} (row 2) and {second!r}" in str(err)
    assert "different scale" in str(err)


def test_hedged_wordings_alone_or_with_synonyms_are_fine():
    # Hedged only (no plain wording of the same category) and plain synonyms mixed.
    out = normalise_answers(answers=["やや満足", "まあ満足", "大変満足", "非常に満足", "やや不満"])
    assert out.tolist() == ["満足", "満足", "大変満足", "大変満足", "不満"]
    with pytest.raises(EvalkitError, match="Somewhat satisfied, Neutral") as info:
        normalise_answers(answers=["satisfied", "Somewhat satisfied"], scale="en4")
    assert info.value.row == 2


def test_custom_list_has_no_hedging_check():
    sc = ["満足", "やや満足", "どちらともいえない", "やや不満", "不満"]
    out = normalise_answers(answers=["満足", "やや満足", "不満", "やや不満"], scale=sc)
    assert out.tolist() == ["満足", "やや満足", "不満", "やや不満"]


def test_booleans_and_fractional_numbers_are_text():
    assert normalise_answer(True, scale=["True", "False"]) == "True"
    assert normalise_answer(np.False_, scale=["True", "False"]) == "False"
    with pytest.raises(EvalkitError, match=r"^value 4.5: not on scale 'custom'"):
        normalise_answer(4.5, scale=[5, 4, 3, 2, 1])
