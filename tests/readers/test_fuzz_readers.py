"""Fuzzing read_table and the four loaders: EvalkitError or the right values, nothing else.

Inputs: random bytes as a .csv; valid CSVs (every documented spelling of
months and numbers, UTF-8, UTF-8 with BOM or CP932) mutated by byte flips,
inserted invisible or odd characters, a line in the other encoding,
truncation, deleted and repeated lines; CSVs of random Unicode cells; .xlsx
workbooks of random Unicode, numbers (huge ones too), dates and booleans,
then damaged: bytes of a part flipped or cut, a part dropped, the sheet's
XML edited (a claimed size of the whole sheet, merged ranges, error cells,
far-away cells, odd numbers, a hidden sheet).

Two properties:
1. ``read_table`` and ``load_minutes_work``, ``load_satisfaction_survey``,
   ``load_rpa_trial``, ``load_rpa_candidates`` raise nothing but EvalkitError.
2. Whatever is accepted holds what a strict re-reading of the same cells
   gives: the file decoded on its own (UTF-8, else CP932, refused if a line
   is valid UTF-8 while the file is not), cells re-split, then every value
   of every record re-read with the documented grammar written out here
   independently (digits 0-9 and ０-９ only, the documented signs,
   separators and units; the documented month spellings; text as written,
   without invisible characters).

Bounded for CI (about 30 s, derandomized). A long run:

    EVALKIT_FUZZ_EXAMPLES=100000 EVALKIT_FUZZ_REPORT=fuzz.json EVALKIT_FUZZ_COLLECT=1 \\
        .venv/bin/python -m pytest -q -p no:cacheprovider tests/readers/test_fuzz_readers.py

spreads the examples over the strategies with random seeds, counts every
outcome into the JSON report, and with EVALKIT_FUZZ_COLLECT=1 records
other exceptions and mismatches (and saves their inputs to
EVALKIT_FUZZ_SAVE, default the system temporary folder) instead of
stopping at the first.
"""

import csv
import datetime as dt
import io
import json
import math
import os
import re
import tempfile
import traceback
import unicodedata
import zipfile
from collections import Counter
from decimal import Decimal
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from evalkit.datasets import (
    MINUTES_WORK,
    RPA_CANDIDATES,
    RPA_TRIAL,
    SATISFACTION_SURVEY,
    load_minutes_work,
    load_rpa_candidates,
    load_rpa_trial,
    load_satisfaction_survey,
)
from evalkit.errors import EvalkitError
from evalkit.readers.tables import Column, Schema, read_table

# ----------------------------------------------------------------------------- settings

LONG = int(os.environ.get("EVALKIT_FUZZ_EXAMPLES", "0"))
COLLECT = os.environ.get("EVALKIT_FUZZ_COLLECT") == "1"
REPORT = os.environ.get("EVALKIT_FUZZ_REPORT")
SAVE = Path(os.environ.get("EVALKIT_FUZZ_SAVE", tempfile.gettempdir()))

# share of the examples per strategy, and the CI number of examples
STRATEGIES = {
    "random_bytes": (0.15, 300),
    "mutated_csv": (0.35, 600),
    "unicode_cells": (0.15, 250),
    "xlsx_cells": (0.15, 120),
    "xlsx_damaged": (0.20, 140),
}


def fuzz_settings(name):
    share, ci = STRATEGIES[name]
    return settings(
        max_examples=max(1, int(LONG * share)) if LONG else ci,
        deadline=None,
        database=None,
        derandomize=not LONG,
        suppress_health_check=[
            HealthCheck.too_slow,
            HealthCheck.data_too_large,
            HealthCheck.filter_too_much,
            HealthCheck.large_base_example,
        ],
        print_blob=True,
    )


FUZZ = Schema(
    "fuzz",
    [
        Column("month", "month", aliases=["月", "年月"]),
        Column("department", "text", aliases=["所属"], one_spelling=True),
        Column("meetings", "int", aliases=["会議数"], minimum=0, units=["件"]),
        Column("hours", "float", aliases=["作業時間"], minimum=0, units=["時間", "h"]),
        Column("change", "float", aliases=["増減"], nullable=True, units=["時間"]),
        Column("rate", "rate", aliases=["削減率"], nullable=True, minimum=0, maximum=1),
        Column("note", "text", aliases=["備考"], required=False, nullable=True),
    ],
)
SCHEMAS = {
    "fuzz": FUZZ,
    "minutes_work": MINUTES_WORK,
    "satisfaction_survey": SATISFACTION_SURVEY,
    "rpa_trial": RPA_TRIAL,
    "rpa_candidates": RPA_CANDIDATES,
}
READERS = {
    "fuzz": lambda p: read_table(p, FUZZ),
    "minutes_work": load_minutes_work,
    "satisfaction_survey": load_satisfaction_survey,
    "rpa_trial": load_rpa_trial,
    "rpa_candidates": load_rpa_candidates,
}

OUTCOMES: Counter = Counter()
PROBLEMS: list[dict] = []


@pytest.fixture(scope="module", autouse=True)
def _report():
    yield
    if REPORT:
        Path(REPORT).write_text(
            json.dumps(
                {"outcomes": dict(sorted(OUTCOMES.items())), "problems": PROBLEMS[:200]},
                ensure_ascii=False,
                indent=1,
            ),
            encoding="utf-8",
        )


@pytest.fixture(scope="module")
def fuzz_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("fuzz")


def problem(strategy, kind, path, detail):
    """A bug: fail now, or (collect mode) count it and keep the input."""
    OUTCOMES[f"{strategy}:{kind}"] += 1
    OUTCOMES[f"all:{kind}"] += 1
    if not COLLECT:
        raise AssertionError(f"{kind} on {path.name}: {detail}")
    keep = SAVE / f"evalkit_fuzz_{kind}_{OUTCOMES[f'all:{kind}']}{path.suffix}"
    keep.write_bytes(path.read_bytes())
    PROBLEMS.append({"strategy": strategy, "kind": kind, "input": str(keep), "detail": detail})


def read_all(strategy, path, check):
    """Every reader on one file: count outcomes, and re-read what is accepted."""
    OUTCOMES[f"{strategy}:inputs"] += 1
    OUTCOMES["all:inputs"] += 1
    accepted_any = False
    for name, reader in READERS.items():
        try:
            frame = reader(path)
        except EvalkitError as err:
            assert str(err)  # the message can be built
            OUTCOMES[f"{strategy}:refused"] += 1
            OUTCOMES["all:refused"] += 1
            continue
        except Exception:  # the property under test
            problem(strategy, "other_exception", path, traceback.format_exc()[-3000:])
            continue
        OUTCOMES[f"{strategy}:accepted"] += 1
        OUTCOMES["all:accepted"] += 1
        accepted_any = True
        try:
            check(frame, SCHEMAS[name])
        except Mismatch as err:
            problem(strategy, "mismatch", path, f"{name}: {err}")
    OUTCOMES[f"{strategy}:inputs_accepted_by_some_reader"] += accepted_any


class Mismatch(Exception):
    """An accepted value differs from the strict re-reading."""


class Reject(Exception):
    """The strict grammar does not read this."""


# ---------------------------------------------------------------- the strict grammar, written out

FULL_WIDTH = str.maketrans("０１２３４５６７８９，．ｅＥ＋－", "0123456789,.eE+-")
PLAIN = re.compile(r"[0-9]+(?:\.[0-9]*)?(?:[eE][+-]?[0-9]{1,3})?|\.[0-9]+")
GROUPED = re.compile(r"[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?")
MINUS = "-−△▲－"
PLUS = "+＋"
INVISIBLE = {"Cc", "Cf", "Co", "Cs"}


def blank(cell):
    return cell is None or (isinstance(cell, str) and not cell.strip())


def strict_decimal(text, units):
    """A number as documented: sign, digits 0-9/０-９, 1,800, a decimal point, a listed unit."""
    s = text.strip()
    negative = s[:1] in MINUS
    if s[:1] in MINUS + PLUS:
        s = s[1:].lstrip()
    t = s.translate(FULL_WIDTH)
    m = GROUPED.match(t) or PLAIN.match(t)
    if m is None:
        raise Reject("no number")
    token, unit = m.group(), t[m.end() :].strip()
    if unit:
        if any(c.isdigit() or unicodedata.category(c)[0] == "N" for c in unit):
            raise Reject("a digit in the unit")
        if unit[0] in ",.+-":
            raise Reject("a separator or sign after the number")
        accepted = {unicodedata.normalize("NFKC", u).casefold() for u in units}
        if unicodedata.normalize("NFKC", unit).strip().casefold() not in accepted:
            raise Reject(f"unit {unit!r}")
    value = Decimal(token.replace(",", ""))
    return -value if negative else value


def strict_number(cell, col):
    """(expected float, exact Decimal or None) of a non-blank number cell."""
    if isinstance(cell, bool):
        raise Reject("bool")
    if isinstance(cell, int | float):
        if isinstance(cell, float) and not math.isfinite(cell):
            raise Reject("not finite")
        exact = Decimal(cell)
    elif isinstance(cell, str):
        if col.kind == "rate" and cell.strip()[-1:] in ("%", "％"):
            exact = strict_decimal(cell.strip()[:-1], ()) / 100
        else:
            exact = strict_decimal(cell, col.units if col.kind != "rate" else ())
            if col.kind == "rate" and abs(exact) > 1:
                raise Reject("rate above 1 without %")
    else:
        raise Reject(type(cell).__name__)
    value = float(exact)
    if not math.isfinite(value):
        raise Reject("overflow")
    if col.minimum is not None and value < col.minimum:
        raise Reject("below minimum")
    if col.maximum is not None and value > col.maximum:
        raise Reject("above maximum")
    if col.kind == "int":
        if exact != exact.to_integral_value() or abs(exact) > 2**53 - 1:
            raise Reject("not a whole number read exactly")
        return int(exact)
    return value


ERA_START = {
    "令和": dt.date(2019, 5, 1),
    "平成": dt.date(1989, 1, 8),
    "昭和": dt.date(1926, 12, 25),
}
ERA_LAST = {"令和": None, "平成": 2019, "昭和": 1989}
ERA_OF = {"令和": "令和", "令": "令和", "R": "令和", "r": "令和", "㋿": "令和", "平成": "平成"}
ERA_OF |= {"平": "平成", "H": "平成", "h": "平成", "昭和": "昭和", "昭": "昭和", "S": "昭和"}
ERA_OF |= {"s": "昭和"}
ERA = "|".join(sorted(ERA_OF, key=len, reverse=True))
TIMED = re.compile(
    r"(?P<y>[0-9]{4})([-/.])(?P<m>[0-9]{1,2})\2(?P<d>[0-9]{1,2})(?:T| +)"
    r"(?P<H>[0-9]{1,2}):(?P<M>[0-9]{2})(?::(?P<S>[0-9]{2})(?:\.[0-9]+)?)?"
    r"(?:Z|[+-][0-9]{2}:?[0-9]{2})?"
)
MONTH_FORMS = [
    re.compile(r"(?P<y>[0-9]{4})[-/](?P<m>[0-9]{1,2})"),  # never 2019.1: see parse_month
    re.compile(r"(?P<y>[0-9]{4})[-/.](?P<m>[0-9]{1,2})[-/.](?P<d>[0-9]{1,2})"),
    re.compile(r"(?P<y>[0-9]{4})(?P<m>[0-9]{2})"),
    re.compile(r"(?P<y>[0-9]{4})年(?P<m>[0-9]{1,2})月(?:(?P<d>[0-9]{1,2})日|分)?"),
    re.compile(
        rf"(?P<era>{ERA})(?P<n>元|[0-9]{{1,2}})年(?P<m>[0-9]{{1,2}})月(?:(?P<d>[0-9]{{1,2}})日|分)?"
    ),
    re.compile(
        rf"(?P<era>{ERA})(?P<n>元|[0-9]{{1,2}})[./-](?P<m>[0-9]{{1,2}})(?:[./-](?P<d>[0-9]{{1,2}}))?"
    ),
]
# full-width digits and signs, and the dashes people type between a year and a month
MONTH_ASCII = str.maketrans(
    "０１２３４５６７８９／－．：　ＲＨＳｒｈｓ−‐‑–—",
    "0123456789/-.: RHSrhs-----",
)


def strict_month(cell):
    """The month a cell names, in the spellings parse_month documents."""
    if isinstance(cell, bool):
        raise Reject("bool")
    if isinstance(cell, dt.datetime | dt.date):
        return pd.Period(year=cell.year, month=cell.month, freq="M")
    if isinstance(cell, int | float):
        if float(cell).is_integer() and 100000 <= cell <= 999999:
            cell = str(int(cell))
        else:
            raise Reject("a number that is not YYYYMM")
    if not isinstance(cell, str):
        raise Reject(type(cell).__name__)
    if any(unicodedata.category(c) in INVISIBLE and c not in "\t\n\r" for c in cell):
        raise Reject("invisible")
    s = cell.strip().translate(MONTH_ASCII)
    g = None
    if m := TIMED.fullmatch(s.strip()):
        g = m.groupdict()
        if int(g["H"]) > 23 or int(g["M"]) > 59 or int(g["S"] or 0) > 59:
            raise Reject("no such time")
    else:
        s = re.sub(r"(?<=[0-9月年])[ー―](?=[0-9])", "-", re.sub(r"\s+", "", s))
        for form in MONTH_FORMS:
            if m := form.fullmatch(s):
                g = m.groupdict()
                break
    if g is None:
        raise Reject("not a documented month")
    month, day = int(g["m"]), int(g["d"]) if g.get("d") else None
    if g.get("era"):
        era = ERA_OF[g["era"]]
        n = 1 if g["n"] == "元" else int(g["n"])
        year = ERA_START[era].year + n - 1
        if n < 1 or (ERA_LAST[era] and year > ERA_LAST[era]):
            raise Reject("no such era year")
        start = ERA_START[era]
        if (year, month) < (start.year, start.month):
            raise Reject("before the era")
    else:
        year = int(g["y"])
    if not 1 <= month <= 12:
        raise Reject("no such month")
    if day is not None:
        try:
            date = dt.date(year, month, day)
        except ValueError:
            raise Reject("no such day") from None
        if g.get("era") and date < ERA_START[ERA_OF[g["era"]]]:
            raise Reject("before the era")
    return pd.Period(year=year, month=month, freq="M")


def strict_text(cell):
    if isinstance(cell, str):
        if any(unicodedata.category(c) in INVISIBLE and c not in "\t\n\r" for c in cell):
            raise Reject("invisible character")
        return cell.strip()
    return None  # an Excel number or date in a text column: its text is not checked here


def strict_value(cell, col):
    if col.kind == "month":
        return strict_month(cell)
    if col.kind == "text":
        return strict_text(cell)
    return strict_number(cell, col)


def header_key(text):
    return re.sub(r"[\s_]+", "", unicodedata.normalize("NFKC", str(text)).casefold())


def check_records(frame, schema, rows, where):
    """Compare each record of ``frame`` with the strict reading of its file row in ``rows``."""
    file_rows = [a + k for a, n in frame.attrs["source_rows"] for k in range(n)]
    if not file_rows:
        return
    keys = {header_key(h): c.name for c in schema.columns for h in c.headers}
    required = {c.name for c in schema.columns if c.required}
    positions = None
    for r in range(min(file_rows) - 1):
        found = {}
        for j, v in enumerate(rows[r] if r < len(rows) else ()):
            if isinstance(v, str) and header_key(v) in keys:
                found.setdefault(keys[header_key(v)], j)
        if required <= set(found):
            positions = found
            break
    if positions is None:
        raise Mismatch(f"{where}: accepted, but no header row naming every required column")
    for pos, r in enumerate(file_rows):
        cells = rows[r - 1]
        for col in schema.columns:
            j = positions.get(col.name)
            cell = cells[j] if j is not None and j < len(cells) else None
            got = frame[col.name].iloc[pos]
            if blank(cell):
                if not (got is None or pd.isna(got)):
                    raise Mismatch(f"{where} row {r} {col.name}: blank read as {got!r}")
                continue
            try:
                want = strict_value(cell, col)
            except Reject as why:
                raise Mismatch(
                    f"{where} row {r} {col.name}: {cell!r} accepted as {got!r}, but the strict "
                    f"grammar refuses it ({why})"
                ) from None
            if want is None:
                continue
            if col.kind == "rate":
                ok = math.isclose(got, want, rel_tol=1e-15, abs_tol=1e-300)
            else:
                ok = got == want
            if not ok:
                raise Mismatch(
                    f"{where} row {r} {col.name}: {cell!r} read as {got!r}, not {want!r}"
                )


# ----------------------------------------------------------------------------- strict CSV reading


def strict_csv_rows(raw, delimiter=","):
    """Cells of a CSV file decoded independently; Reject what no one encoding reads."""
    if raw.startswith(b"\xef\xbb\xbf"):
        text = raw[3:].decode("utf-8", errors="strict")
    else:
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            try:
                text = raw.decode("cp932")
            except UnicodeDecodeError:
                raise Reject("neither UTF-8 nor CP932") from None
            for line in raw.splitlines():
                try:
                    if not line.isascii() and line.decode("utf-8"):
                        raise Reject("a UTF-8 line in a CP932 file")
                except UnicodeDecodeError:
                    pass
            if re.search(r"[\x80-\x9f\ue000-\uf8ff]", text):
                raise Reject("CP932 user-defined characters") from None
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))


def check_csv(path):
    def check(frame, schema):
        try:
            rows = strict_csv_rows(path.read_bytes())
        except (Reject, UnicodeDecodeError, csv.Error) as why:
            raise Mismatch(f"accepted a file the strict reading refuses ({why})") from None
        check_records(frame, schema, rows, path.name)

    return check


# ----------------------------------------------------------------------------- generating CSVs

NAMES = [
    "人事課", "総務課", "企画課", "財政課", "国際課", "府税課", "IT・業務改革課", "①推進課",
    "㈱調達室", "髙橋係", "山﨑室", "ⅰ班", "第２～３係", "行政改革課", "議事課", "Café",
]  # fmt: skip
TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=12)
PLAIN_TEXT = st.text(
    st.characters(codec="utf-8", categories=("L", "M", "N", "P", "S", "Zs")), max_size=12
)


def full_width(text):
    return text.translate(str.maketrans("0123456789,.", "０１２３４５６７８９，．"))


@st.composite
def month_cell(draw):
    year = draw(st.integers(1990, 2030))
    month = draw(st.integers(1, 12))
    forms = [f"{year}-{month:02d}", f"{year}/{month}", f"{year}/{month:02d}/01 0:00",
             f"{year}/{month}/1 0:00:00", f"{year}年{month}月", f"{year}年{month}月分",
             f"{year}{month:02d}", f"{year}-{month:02d}-01"]  # fmt: skip
    if (year, month) >= (2019, 5):
        n = year - 2018
        forms += [f"令和{'元' if n == 1 else n}年{month}月", f"R{n}.{month}", f"令{n}.{month}"]
    elif year <= 2019:
        n = year - 1988
        forms += [f"平成{'元' if n == 1 else n}年{month}月", f"H{n}.{month}", f"平{n}.{month}"]
    cell = draw(st.sampled_from(forms))
    if draw(st.booleans()):
        cell = full_width(cell)
    return cell


@st.composite
def number_cell(draw, col):
    if col.kind == "rate":
        k = draw(st.integers(0, 100))
        return draw(st.sampled_from([f"{k}%", f"{k / 100:g}", full_width(f"{k}") + "％", ""]))
    value = draw(
        st.integers(-10, 3000)
        if col.kind == "int"
        else st.integers(-100, 30000).map(lambda v: v / 10)
    )
    text = f"{value:,}" if draw(st.booleans()) else f"{value}"
    if value < 0:
        text = draw(st.sampled_from(["-", "△", "▲", "−"])) + text.lstrip("-")
    if col.units and draw(st.booleans()):
        text += draw(st.sampled_from(col.units))
    if draw(st.booleans()):
        text = full_width(text)
    return text


@st.composite
def cell_for(draw, col):
    if col.nullable and draw(st.integers(0, 5)) == 0:
        return ""
    if col.kind == "month":
        return draw(month_cell())
    if col.kind == "text":
        return draw(st.one_of(st.sampled_from(NAMES), PLAIN_TEXT))
    return draw(number_cell(col))


# Values aimed at what was once read wrongly: digits that are not 0-9, invisible
# characters, numbers too large for a whole-number column, YYYY.M months.
ODD_VALUES = [
    "10²", "①", "٣", "१२", "㏠", "1ℯ5", "12\u200b", "1\u00ad2", "\ufeff12", "１０²", "⑫時間",
    "1e300", str(2**63), "9007199254740993", "4503599627370496.4", "-1e20", "1e400",
    "0e99999999999999999999", "1e-99999999999999999999", "1e0300",
    "2019.1", "2019.10", "２０１９．４", "R①.5", "٢٠١٩-04", "2019\u200b-04", "㋃", "2019-0⁴",
]  # fmt: skip
ODD_CHARS = ["\u200b", "\u00ad", "\ufeff", "\u2060", "\u202e", "\x07", "\x00", "\ue000", "\x1b"]


@st.composite
def odd_cell(draw, cell):
    """A cell made odd: a value from ODD_VALUES, or an invisible character put into it."""
    if draw(st.booleans()):
        return draw(st.sampled_from(ODD_VALUES))
    at = draw(st.integers(0, len(cell)))
    return cell[:at] + draw(st.sampled_from(ODD_CHARS)) + cell[at:]


@st.composite
def valid_table(draw):
    name = draw(st.sampled_from(sorted(SCHEMAS)))
    schema = SCHEMAS[name]
    cols = [c for c in schema.columns if c.required or draw(st.booleans())]
    canonical = draw(st.booleans())  # ASCII headers survive a line in another encoding
    header = [c.name if canonical else draw(st.sampled_from(c.headers)) for c in cols]
    rows = [[draw(cell_for(c)) for c in cols] for _ in range(draw(st.integers(0, 6)))]
    for i, row in enumerate(rows):  # distinct names: a repeated key is refused, rightly
        for j, c in enumerate(cols):
            if c.kind == "text" and row[j].strip():
                row[j] = f"{row[j]}{i + 1}"
    for _ in range(draw(st.integers(0, 2)) if rows else 0):
        i, j = draw(st.integers(0, len(rows) - 1)), draw(st.integers(0, len(cols) - 1))
        rows[i][j] = draw(odd_cell(rows[i][j]))
    top = draw(st.sampled_from([[], [["令和元年度 実績"]], [[]], [["タイトル"], []]]))
    if rows and draw(st.integers(0, 9)) == 0:  # a data row above the header
        top = [*top, rows.pop(0)]
    return [*top, header, *rows]


def encode(rows, encoding):
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\r\n" if encoding == "cp932" else "\n").writerows(rows)
    text = buf.getvalue()
    if encoding == "cp932":
        return text.encode("cp932", errors="replace")
    return text.encode(encoding)


SNIPPETS = [
    "\u200b", "\u00ad", "\ufeff", "\u2060", "\u202e", "\x00", "\x07", "\x1b", "\ue000", "²",
    "①", "٣", "㏠", "\"", ",", "\r", "\n", "\u3000", "△", "%", "．", "2019.1", "\x1b$B",
    "\udc80",
]  # fmt: skip


@st.composite
def mutation(draw, size):
    kind = draw(
        st.sampled_from(["flip", "insert", "other_encoding", "truncate", "delete", "repeat"])
    )
    at = draw(st.integers(0, max(size, 1)))
    if kind == "flip":
        return kind, at, draw(st.integers(1, 255))
    if kind == "insert":
        snippet = draw(st.sampled_from(SNIPPETS))
        codec = draw(st.sampled_from(["utf-8", "cp932", "latin-1", "utf-16-le"]))
        if snippet == "\udc80":  # a lone byte that starts no character
            return kind, at, b"\x80"
        return kind, at, snippet.encode(codec, errors="replace")
    if kind in ("truncate",):
        return kind, at, None
    return kind, at, draw(st.integers(1, 40))


def apply(raw, mutations, encoding):
    for kind, at, arg in mutations:
        at = min(at, len(raw))
        if kind == "flip" and raw:
            at = min(at, len(raw) - 1)
            raw = raw[:at] + bytes([raw[at] ^ arg]) + raw[at + 1 :]
        elif kind == "insert":
            raw = raw[:at] + arg + raw[at:]
        elif kind == "truncate":
            raw = raw[:at]
        elif kind == "delete":
            raw = raw[:at] + raw[at + arg :]
        elif kind in ("repeat", "other_encoding"):
            lines = raw.split(b"\n")
            i = min(at * len(lines) // max(len(raw), 1), len(lines) - 1)
            if kind == "repeat":
                lines.insert(i, lines[i])
            else:
                other = "utf-8" if encoding == "cp932" else "cp932"
                try:
                    text = lines[i].decode("cp932" if encoding == "cp932" else "utf-8")
                    lines[i] = text.encode(other, errors="replace")
                except UnicodeDecodeError:
                    pass
            raw = b"\n".join(lines)
    return raw


# ----------------------------------------------------------------------------- CSV properties


@fuzz_settings("random_bytes")
@given(raw=st.binary(max_size=3000))
def test_random_bytes_as_csv(fuzz_dir, raw):
    path = fuzz_dir / "random.csv"
    path.write_bytes(raw)
    read_all("random_bytes", path, check_csv(path))


@fuzz_settings("mutated_csv")
@given(
    table=valid_table(),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp932"]),
    data=st.data(),
)
def test_mutated_valid_csv(fuzz_dir, table, encoding, data):
    raw = encode(table, encoding)
    mutations = data.draw(st.lists(mutation(len(raw)), max_size=3))
    raw = apply(raw, mutations, encoding)
    path = fuzz_dir / "mutated.csv"
    path.write_bytes(raw)
    read_all("mutated_csv", path, check_csv(path))


@fuzz_settings("unicode_cells")
@given(
    name=st.sampled_from(sorted(SCHEMAS)),
    cells=st.lists(st.lists(TEXT, min_size=1, max_size=8), max_size=6),
    header_first=st.booleans(),
)
def test_random_unicode_cells(fuzz_dir, name, cells, header_first):
    header = [c.headers[-1] for c in SCHEMAS[name].columns]
    rows = [header, *cells] if header_first else [*cells[:1], header, *cells[1:]]
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    path = fuzz_dir / "unicode.csv"
    path.write_bytes(buf.getvalue().encode("utf-8"))
    read_all("unicode_cells", path, check_csv(path))


# ----------------------------------------------------------------------------- workbooks

XML_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
XLSX_VALUE = st.one_of(
    st.none(),
    TEXT.map(lambda s: XML_ILLEGAL.sub("", s)),
    st.integers(-(2**70), 2**70),
    st.floats(allow_nan=False, allow_infinity=False),
    st.datetimes(dt.datetime(1900, 3, 1), dt.datetime(9999, 12, 31)),
    st.booleans(),
    month_cell(),
    st.sampled_from(["1,800", "62時間", "△3", "84%", "=1+1", "#N/A", *ODD_VALUES]),
    st.sampled_from([2019.1, 2019.04, 1e300, 2.0**63, 2**63, 2**53 + 1, 201904, 201913]),
)


@st.composite
def workbook_rows(draw):
    name = draw(st.sampled_from(sorted(SCHEMAS)))
    schema = SCHEMAS[name]
    header = [draw(st.sampled_from(c.headers)) for c in schema.columns]
    n = draw(st.integers(0, 5))
    noise = draw(st.integers(0, 4))  # in tenths: how many cells are random values
    rows = []
    for _ in range(n):
        row = [
            draw(XLSX_VALUE) if draw(st.integers(0, 9)) < noise else draw(cell_for(c))
            for c in schema.columns
        ]
        rows.append(row)
    return [header, *rows]


def write_workbook(path, rows, *, title=None):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = title or "実績"
    for r in rows:
        ws.append(r)
    wb.save(path)
    return path


def sheet_rows(path, title):
    """The saved values of a sheet, re-read with openpyxl's ordinary (not streaming) reader."""
    with zipfile.ZipFile(path) as z:
        xml = b"".join(z.read(n) for n in z.namelist() if n.startswith("xl/worksheets/"))
    if b"mergeCell" in xml or len(xml) > 5_000_000:
        return None  # a merged title, or too big to re-read safely: values not compared
    try:
        with open(path, "rb") as fh:  # closed even when openpyxl fails half-way
            ws = openpyxl.load_workbook(fh, data_only=True)[title]
    except Exception:  # damage the ordinary reader does not take
        OUTCOMES["all:accepted_not_compared"] += 1
        return None
    cells = {}
    for (r, c), cell in ws._cells.items():  # the cells present, not the claimed size
        if cell.value is not None:
            cells[(r, c)] = cell.value
    n = max((r for r, _ in cells), default=0)
    rows = [[] for _ in range(n)]
    for (r, c), v in cells.items():
        row = rows[r - 1]
        row.extend([None] * (c - len(row)))
        row[c - 1] = v
    return rows


def check_xlsx(path):
    def check(frame, schema):
        title = re.search(r"\(sheet '(.*)'\)$", frame.attrs["source"]).group(1)
        rows = sheet_rows(path, title)
        if rows is not None:
            check_records(frame, schema, rows, path.name)

    return check


@fuzz_settings("xlsx_cells")
@given(rows=workbook_rows())
def test_xlsx_random_cells(fuzz_dir, rows):
    path = fuzz_dir / "cells.xlsx"
    try:
        write_workbook(path, rows)
    except (ValueError, TypeError):  # a value openpyxl will not write (illegal XML)
        return
    read_all("xlsx_cells", path, check_xlsx(path))


SHEET_EDITS = [
    (rb'<dimension ref="[^"]*" ?/>', b'<dimension ref="A1:XFD1048576"/>'),
    (rb"</sheetData>", b'<row r="1048576"><c r="XFD1048576" s="0"/></row></sheetData>'),
    (rb"</sheetData>", b'</sheetData><mergeCells count="1"><mergeCell ref="A2:B3"/></mergeCells>'),
    (
        rb"</sheetData>",
        b'</sheetData><mergeCells count="1"><mergeCell ref="A1:XFD1"/></mergeCells>',
    ),
    (rb"</sheetData>", b'</sheetData><mergeCells count="1"><mergeCell ref="A:A"/></mergeCells>'),
    (rb'<c r="C2"', b'<c r="C2" t="e"'),
    (rb"<v>[^<]*</v>", b"<v>1e400</v>"),
    (rb"<v>[^<]*</v>", b"<v>nan</v>"),
    (rb"<v>[^<]*</v>", b"<v>" + b"9" * 400 + b"</v>"),
    (rb'<c r="B2"', b'<c r="B1048577"'),
    (rb'<row r="2"', b'<row r="99999999999"'),
    (rb"<v>[^<]*</v>", b"<v>2019.1</v>"),
]
WORKBOOK_EDITS = [
    (rb'state="visible"', b'state="hidden"'),
    (rb'activeTab="0"', b'activeTab="7"'),
    (rb"<sheets>.*</sheets>", b"<sheets></sheets>"),
]


@st.composite
def damage(draw, names):
    kind = draw(st.sampled_from(["flip", "cut", "drop", "garbage", "sheet_edit", "book_edit"]))
    if kind == "sheet_edit":
        return kind, "xl/worksheets/sheet1.xml", draw(st.sampled_from(SHEET_EDITS))
    if kind == "book_edit":
        return kind, "xl/workbook.xml", draw(st.sampled_from(WORKBOOK_EDITS))
    member = draw(st.sampled_from(names))
    return kind, member, draw(st.tuples(st.integers(0, 10_000), st.integers(1, 255)))


def damaged_copy(path, damages, out):
    with zipfile.ZipFile(path) as zin:
        parts = {n: zin.read(n) for n in zin.namelist()}
    for kind, member, arg in damages:
        if member not in parts:
            continue
        data = parts[member]
        if kind == "flip":
            if data:  # a part cut to nothing before has no byte to flip
                at = arg[0] % len(data)
                parts[member] = data[:at] + bytes([data[at] ^ arg[1]]) + data[at + 1 :]
        elif kind == "cut":
            parts[member] = data[: arg[0] % (len(data) + 1)]
        elif kind == "drop":
            del parts[member]
        elif kind == "garbage":
            parts[member] = os.urandom(arg[1])
        else:
            pattern, new = arg
            parts[member] = re.sub(
                pattern, new.replace(b"\\", b"\\\\"), data, count=1, flags=re.DOTALL
            )
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for name, data in parts.items():
            zout.writestr(name, data)
    return out


@fuzz_settings("xlsx_damaged")
@given(rows=workbook_rows(), data=st.data(), whole=st.integers(0, 9))
def test_damaged_xlsx(fuzz_dir, rows, data, whole):
    path = fuzz_dir / "base.xlsx"
    try:
        write_workbook(path, rows)
    except (ValueError, TypeError):
        return
    out = fuzz_dir / "damaged.xlsx"
    if whole == 0:  # damage the file itself, not a part: a cut or flipped zip
        raw = path.read_bytes()
        # not st.integers(0, len(raw) - 1): openpyxl stamps the time of saving into the
        # file, so its length varies from one run of an example to the next
        at = data.draw(st.integers(0, 2**20)) % len(raw)
        out.write_bytes(
            raw[:at] if data.draw(st.booleans()) else raw[:at] + b"\x00" + raw[at + 1 :]
        )
    else:
        with zipfile.ZipFile(path) as z:
            names = z.namelist()
        damages = data.draw(st.lists(damage(names), min_size=1, max_size=3))
        damaged_copy(path, damages, out)
    read_all("xlsx_damaged", out, check_xlsx(out))
