"""Ordered answer scales (Likert-type) and the reading of answers onto them.

A :class:`Scale` lists its categories from the most positive to the most
negative and accepts a few common wordings of each category as aliases.
Answers are read leniently in form (surrounding spaces, full-width
characters, letter case) but strictly in content: a value that is neither a
category nor a listed alias is an error, and numeric codes are never guessed.

Built-in scales (``SCALES``)
----------------------------
``"ja5"``
    大変満足, 満足, どちらともいえない, 不満, 大変不満.
``"ja4"``
    大変満足, 満足, 不満, 大変不満 (no neutral category: どちらともいえない
    is an error, not silently mapped).
``"en5"``
    Very satisfied, Satisfied, Neutral, Dissatisfied, Very dissatisfied.
``"en4"``
    Very satisfied, Satisfied, Dissatisfied, Very dissatisfied.

Aliases of the Japanese scales (each alias -> category):

=========================================  ==================  ==========
alias                                      category            why
=========================================  ==================  ==========
非常に満足, とても満足                     大変満足            synonyms of "very"
やや満足, まあ満足 (hedged)                満足                second-best category of the
                                                               common 満足/やや満足/... wording
満足している                               満足                verb form
どちらとも言えない, どちらでもない,        どちらともいえない  neutral wordings (ja5 only)
普通, ふつう
やや不満 (hedged)                          不満                second-worst category of the
                                                               common .../やや不満/不満 wording
不満足, やや不満足 (hedged)                不満                "dissatisfied" written in full
非常に不満, とても不満, 大変不満足,        大変不満            synonyms of "very"
非常に不満足
=========================================  ==================  ==========

Aliases of the English scales (matched case-insensitively):

=========================================  ==================
alias                                      category
=========================================  ==================
Extremely satisfied, Completely satisfied  Very satisfied
Somewhat satisfied, Fairly satisfied       Satisfied (hedged)
Neither satisfied nor dissatisfied,        Neutral (en5 only)
Neither satisfied or dissatisfied,
Neither, Neutral / no opinion
Somewhat dissatisfied (hedged),            Dissatisfied
Unsatisfied
Extremely dissatisfied, Very unsatisfied,  Very dissatisfied
Completely dissatisfied
=========================================  ==================

*Hedged* aliases ("やや", "まあ", "somewhat", "fairly") name the second
category of a questionnaire whose best category is plain 満足 / "Satisfied"
(e.g. 満足, やや満足, どちらともいえない, やや不満, 不満). Read alone they map
to the second category here, which is where they rank. Found together with
the plain wording of the same category in one column (満足 *and* やや満足),
they show the answers follow such a different scale, and reading them would
merge two categories: that is an error asking for the questionnaire's own
scale as a list.
"""

from __future__ import annotations

import math
import numbers
import types
import unicodedata
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from .._validation import row_number, select, source_file
from ..errors import EvalkitError

__all__ = ["Scale", "SCALES", "get_scale", "normalise_answer", "normalise_answers"]


def _text(value: Any) -> str | None:
    """The answer as normalised text, or None when it is blank.

    Blank: None, NaN, pandas NA/NaT, and strings that are empty once
    surrounding spaces (ASCII or full-width) are removed. Text is NFKC
    normalised (full-width letters and digits become ASCII). Integer-valued
    numbers are written without a decimal part, so ``5.0`` read from a
    spreadsheet column with blanks matches a label ``5``.
    """
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, bool | np.bool_):
        text = str(bool(value))
    elif isinstance(value, numbers.Integral):
        text = str(int(value))
    elif isinstance(value, numbers.Real):
        x = float(value)
        if math.isnan(x):
            return None
        text = str(int(x)) if x.is_integer() else repr(x)
    else:
        text = str(value)
    text = unicodedata.normalize("NFKC", text).strip()
    return text or None


def _key(text: str) -> str:
    """Matching key of normalised text: case-folded, all whitespace removed."""
    return "".join(text.casefold().split())


def _looks_numeric(text: str) -> bool:
    try:
        return math.isfinite(float(text))
    except ValueError:
        return False


@dataclass(frozen=True)
class Scale:
    """An ordered answer scale, most positive category first.

    Parameters
    ----------
    name : str
        Short name, e.g. ``"ja5"``.
    labels : tuple of str
        The categories, ordered from the most positive to the most negative.
        At least two, distinct after normalisation (NFKC, case, spaces).
    aliases : mapping of str to str, optional
        Other wordings accepted for a category: ``{variant: label}``.
    hedged : frozenset of str, optional
        Aliases that soften their category (やや満足 for 満足). Finding a
        hedged alias together with another wording of the same category in
        one set of answers is an error (see the module notes).

    Attributes
    ----------
    scores : mapping of str to int
        Score of each label: ``len(labels)`` for the most positive down to 1
        for the most negative.

    Examples
    --------
    >>> s = SCALES["ja5"]
    >>> s.labels[0], s.scores["大変満足"], s.scores["大変不満"]
    ('大変満足', 5, 1)
    >>> s.match(" やや満足　")
    '満足'
    """

    name: str
    labels: tuple[str, ...]
    aliases: Mapping[str, str] = field(default_factory=dict)
    hedged: frozenset[str] = frozenset()
    _lookup: Mapping[str, str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        labels = tuple(_text(label) for label in self.labels)
        if any(label is None for label in labels):
            raise EvalkitError(f"scale {self.name!r} has a blank label", value=tuple(self.labels))
        lookup: dict[str, str] = {}
        for label in labels:
            if _key(label) in lookup:
                raise EvalkitError(
                    f"scale {self.name!r} lists the label {label!r} twice "
                    "(labels are compared ignoring case, spaces and full-width forms)",
                    value=tuple(self.labels),
                )
            lookup[_key(label)] = label
        if len(labels) < 2:
            raise EvalkitError(
                f"scale {self.name!r} needs at least 2 distinct labels, got {len(labels)}",
                value=tuple(self.labels),
            )
        aliases: dict[str, str] = {}
        for variant, target in dict(self.aliases).items():
            variant_text, target_text = _text(variant), _text(target)
            if target_text is None or _key(target_text) not in lookup:
                raise EvalkitError(
                    f"scale {self.name!r}: alias {variant!r} points to {target!r}, "
                    "which is not one of its labels",
                    value=target,
                )
            target_text = lookup[_key(target_text)]
            if variant_text is None or (
                _key(variant_text) in lookup and lookup[_key(variant_text)] != target_text
            ):
                raise EvalkitError(
                    f"scale {self.name!r}: alias {variant!r} is blank or clashes with a label",
                    value=variant,
                )
            aliases[variant_text] = target_text
            lookup[_key(variant_text)] = target_text
        hedged = frozenset(_key(h) for h in self.hedged)
        unknown = hedged - {_key(a) for a in aliases}
        if unknown:
            raise EvalkitError(
                f"scale {self.name!r}: hedged wordings must be aliases", value=sorted(unknown)
            )
        object.__setattr__(self, "labels", labels)
        object.__setattr__(self, "aliases", types.MappingProxyType(aliases))
        object.__setattr__(self, "hedged", hedged)
        object.__setattr__(self, "_lookup", types.MappingProxyType(lookup))

    def __hash__(self) -> int:
        return hash((self.name, self.labels, tuple(sorted(self.aliases.items())), self.hedged))

    def __len__(self) -> int:
        return len(self.labels)

    @property
    def scores(self) -> Mapping[str, int]:
        """Score of each label, ``len(labels)`` (most positive) down to 1."""
        k = len(self.labels)
        return types.MappingProxyType({label: k - i for i, label in enumerate(self.labels)})

    def match(self, value: Any) -> str | None:
        """Return the category ``value`` stands for, or None when it is blank.

        Raises
        ------
        EvalkitError
            When ``value`` is neither a label nor an alias; the message lists
            the labels.
        """
        text = _text(value)
        if text is None:
            return None
        label = self._lookup.get(_key(text))
        if label is None:
            raise EvalkitError(self._not_on_scale(text), value=value)
        return label

    def _not_on_scale(self, text: str) -> str:
        allowed = ", ".join(self.labels)
        reason = f"not on scale {self.name!r}; allowed answers: {allowed}"
        if self.aliases:
            reason += f" (or a variant listed in the scale's aliases: {', '.join(self.aliases)})"
        if _looks_numeric(text) and not any(_looks_numeric(lab) for lab in self.labels):
            reason += (
                "; numeric codes are not guessed: pass the codes as a custom scale, "
                "most positive first, e.g. scale=[5, 4, 3, 2, 1]"
            )
        return reason


_JA_POS = {
    "非常に満足": "大変満足",
    "とても満足": "大変満足",
    "やや満足": "満足",
    "まあ満足": "満足",
    "満足している": "満足",
}
_JA_NEG = {
    "やや不満": "不満",
    "不満足": "不満",
    "やや不満足": "不満",
    "非常に不満": "大変不満",
    "とても不満": "大変不満",
    "大変不満足": "大変不満",
    "非常に不満足": "大変不満",
}
_JA_NEUTRAL = {
    "どちらとも言えない": "どちらともいえない",
    "どちらでもない": "どちらともいえない",
    "普通": "どちらともいえない",
    "ふつう": "どちらともいえない",
}
_JA_HEDGED = frozenset({"やや満足", "まあ満足", "やや不満", "やや不満足"})

_EN_POS = {
    "Extremely satisfied": "Very satisfied",
    "Completely satisfied": "Very satisfied",
    "Somewhat satisfied": "Satisfied",
    "Fairly satisfied": "Satisfied",
}
_EN_NEG = {
    "Somewhat dissatisfied": "Dissatisfied",
    "Unsatisfied": "Dissatisfied",
    "Extremely dissatisfied": "Very dissatisfied",
    "Completely dissatisfied": "Very dissatisfied",
    "Very unsatisfied": "Very dissatisfied",
}
_EN_NEUTRAL = {
    "Neither satisfied nor dissatisfied": "Neutral",
    "Neither satisfied or dissatisfied": "Neutral",
    "Neither": "Neutral",
    "Neutral / no opinion": "Neutral",
}
_EN_HEDGED = frozenset({"Somewhat satisfied", "Fairly satisfied", "Somewhat dissatisfied"})

#: Built-in scales by name; see the module notes for every alias.
SCALES: Mapping[str, Scale] = types.MappingProxyType(
    {
        "ja5": Scale(
            "ja5",
            ("大変満足", "満足", "どちらともいえない", "不満", "大変不満"),
            {**_JA_POS, **_JA_NEUTRAL, **_JA_NEG},
            _JA_HEDGED,
        ),
        "ja4": Scale(
            "ja4", ("大変満足", "満足", "不満", "大変不満"), {**_JA_POS, **_JA_NEG}, _JA_HEDGED
        ),
        "en5": Scale(
            "en5",
            ("Very satisfied", "Satisfied", "Neutral", "Dissatisfied", "Very dissatisfied"),
            {**_EN_POS, **_EN_NEUTRAL, **_EN_NEG},
            _EN_HEDGED,
        ),
        "en4": Scale(
            "en4",
            ("Very satisfied", "Satisfied", "Dissatisfied", "Very dissatisfied"),
            {**_EN_POS, **_EN_NEG},
            _EN_HEDGED,
        ),
    }
)


def get_scale(scale: str | Scale | Iterable[Any] = "ja5") -> Scale:
    """Return a :class:`Scale` from a built-in name, a Scale, or an ordered list of labels.

    Parameters
    ----------
    scale : str, Scale or sequence
        A name in ``SCALES`` (``"ja5"``, ``"ja4"``, ``"en5"``, ``"en4"``), a
        :class:`Scale`, or the categories of a custom scale ordered from the
        most positive to the most negative (strings or numeric codes; at least
        two distinct labels). A custom list has no aliases.

    Returns
    -------
    Scale
        The scale; a custom list is named ``"custom"``.

    Raises
    ------
    EvalkitError
        Unknown name, fewer than two labels, blank or repeated labels.

    Examples
    --------
    >>> get_scale("en4").labels
    ('Very satisfied', 'Satisfied', 'Dissatisfied', 'Very dissatisfied')
    >>> get_scale([5, 4, 3, 2, 1]).scores["5"]
    5
    """
    if isinstance(scale, Scale):
        return scale
    if isinstance(scale, str):
        try:
            return SCALES[scale]
        except KeyError:
            raise EvalkitError(
                f"unknown scale; built-in scales are {', '.join(SCALES)}, "
                "or pass the labels as a list, most positive first",
                value=scale,
            ) from None
    if isinstance(scale, Mapping) or not isinstance(scale, Iterable):
        raise EvalkitError(
            "scale must be a built-in name or an ordered list of labels, "
            f"got {type(scale).__name__}",
            value=scale,
        )
    return Scale("custom", tuple(scale))


def normalise_answer(value: Any, *, scale: str | Scale | Iterable[Any] = "ja5") -> str | None:
    """Return the scale category that one answer stands for (None when blank).

    Parameters
    ----------
    value : object
        One answer.
    scale : str, Scale or sequence, default "ja5"
        See :func:`get_scale`.

    Returns
    -------
    str or None
        The canonical label, or None for a blank answer (None, NaN, empty or
        only spaces).

    Raises
    ------
    EvalkitError
        The answer is not on the scale; the message lists the allowed labels.

    Notes
    -----
    Surrounding ASCII and full-width spaces are removed and the text is NFKC
    normalised; labels and aliases are then compared ignoring letter case and
    spaces.

    Examples
    --------
    >>> normalise_answer("　まあ満足 ")
    '満足'
    >>> normalise_answer("NEUTRAL", scale="en5")
    'Neutral'
    >>> normalise_answer("") is None
    True
    """
    return get_scale(scale).match(value)


def _codes(
    values: pd.Series, scale: Scale, *, column: str, file: str | None, tabular: bool
) -> np.ndarray:
    """Category position (0 = most positive) of each answer, -1 for blanks.

    Raises on the first answer not on the scale, and on a hedged alias found
    together with another wording of the same category.
    """
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    index = {label: i for i, label in enumerate(scale.labels)}
    unique_code = np.full(len(uniques), -1, dtype=np.int64)
    unique_key: list[str | None] = [None] * len(uniques)
    bad = np.zeros(len(uniques), dtype=bool)
    for j, raw in enumerate(uniques):
        text = _text(raw)
        if text is None:
            continue
        label = scale._lookup.get(_key(text))
        if label is None:
            bad[j] = True
        else:
            unique_code[j] = index[label]
            unique_key[j] = _key(text)
    if bad.any():
        pos = int(np.flatnonzero(bad[codes] & (codes >= 0))[0])
        raw = values.iloc[pos]
        raise EvalkitError(
            scale._not_on_scale(_text(raw) or ""),
            file=file,
            row=row_number(pos, tabular=tabular),
            column=column,
            value=raw,
        )
    if unique_code.size == 0:  # every answer blank: nothing to look up
        return np.full(codes.size, -1, dtype=np.int64)
    out = np.where(codes >= 0, unique_code[np.maximum(codes, 0)], -1)
    if scale.hedged:
        _check_hedged(values, codes, unique_code, unique_key, scale, column, file, tabular)
    return out


def _check_hedged(values, codes, unique_code, unique_key, scale, column, file, tabular) -> None:
    for category in range(len(scale.labels)):
        js = [j for j in range(len(unique_key)) if unique_code[j] == category]
        keys = {unique_key[j] for j in js}
        hedged, plain = keys & scale.hedged, keys - scale.hedged
        if not hedged or not plain:
            continue
        # Name the later of the first rows of the two wordings: that is where the mix shows.
        first: dict[str, int] = {}
        for j in js:
            pos = int(np.flatnonzero(codes == j)[0])
            first[unique_key[j]] = min(pos, first.get(unique_key[j], pos))
        a, b = sorted((min(first[k] for k in hedged), min(first[k] for k in plain)))
        example = (
            "満足, やや満足, どちらともいえない, やや不満, 不満"
            if any(not lab.isascii() for lab in scale.labels)
            else "Satisfied, Somewhat satisfied, Neutral, Somewhat dissatisfied, Dissatisfied"
        )
        raise EvalkitError(
            f"the answers use both {values.iloc[a]!r} (row {row_number(a, tabular=tabular)}) "
            f"and {values.iloc[b]!r}, which scale {scale.name!r} both reads as "
            f"{scale.labels[category]!r}; answers mixing a plain and a hedged wording "
            f"probably follow a different scale (e.g. {example}): pass the questionnaire's "
            "own categories as scale=[most positive, ..., most negative]",
            file=file,
            row=row_number(b, tabular=tabular),
            column=column,
            value=values.iloc[b],
        )


def normalise_answers(
    data: pd.DataFrame | None = None,
    *,
    answers: Hashable | Iterable[Any],
    scale: str | Scale | Iterable[Any] = "ja5",
) -> pd.Series:
    """Return the scale category of every answer, None for blank answers.

    Parameters
    ----------
    data : DataFrame, optional
        The table holding the answers.
    answers : str or array-like
        Column of ``data`` with the answers, or the answers themselves when
        ``data`` is None.
    scale : str, Scale or sequence, default "ja5"
        See :func:`get_scale`.

    Returns
    -------
    Series
        Object Series of canonical labels (None for blanks), with the index
        of ``data`` (or of ``answers`` when it is a Series) and the column's name.

    Raises
    ------
    EvalkitError
        Missing column, or an answer not on the scale (naming the row, the
        column and the value), or plain and hedged wordings of one category
        mixed (see the module notes).

    Examples
    --------
    >>> normalise_answers(answers=["満足", " 普通", None, "大変不満"]).tolist()
    ['満足', 'どちらともいえない', None, '大変不満']
    """
    sc = get_scale(scale)
    values, tabular = select(data, answers, role="answers")
    column = str(answers) if tabular else "answers"
    codes = _codes(values, sc, column=column, file=source_file(data), tabular=tabular)
    labels = np.array([*sc.labels, None], dtype=object)
    if tabular:
        index = data.index
    elif isinstance(answers, pd.Series):
        index = answers.index
    else:
        index = None
    return pd.Series(labels[codes], index=index, name=values.name, dtype=object)
