"""Generate the synthetic run-log sample shipped in ``data/runlogs/`` (schema ``runlog``).

Three fictional municipalities (codes 99101, 99102 and 99103: prefecture
code 99 does not exist, so no code names a real place) log the monthly runs
of their RPA robots and of speech recognition for minutes, FY2019 and FY2020
(April 2019 to March 2021), one file each, each written the way such files
arrive:

- ``runlog_99101.csv``: UTF-8 without BOM, the canonical English headers,
  months ``2019-04``, ASCII numbers, ``"\\n"`` line endings;
- ``runlog_99102.csv``: CP932 (Shift_JIS) with ``"\\r\\n"`` line endings, a
  title row and a blank row above Japanese headers (年月, 団体コード, 所属,
  業務名, 実行回数, 削減前時間, 削減後時間), months written 平成31年４月 and
  令和元年５月 .. 令和３年３月, full-width digits in every number (１２,
  ３．５);
- ``runlog_99103.csv``: UTF-8 with BOM, ``"\\r\\n"``, other Japanese headers
  (月, 市区町村コード, 所属名, 業務, 件数, 作業時間(導入前), 作業時間(導入後)),
  months ``2019年4月``, runs with their unit (``12件``), hours with theirs
  (``3.5時間``).

Municipality codes are ASCII digits in every file, so that
:func:`evalkit.read_table` and ``evalkit convert`` give the same values.
Every row is synthetic. Run ``python -m evalkit.datasets.runlogs [--out
DIR]`` (default ``data/runlogs/``); the bytes are the same on every run:
values come from ``numpy.random.default_rng(SEED)`` and hours are kept as
integer tenths.

Examples
--------
>>> files = render()
>>> sorted(files)
['runlog_99101.csv', 'runlog_99102.csv', 'runlog_99103.csv']
>>> files["runlog_99101.csv"].decode("utf-8").splitlines()[0]
'month,municipality_code,department,task,runs,hours_before,hours_after'
>>> files["runlog_99102.csv"].decode("cp932").splitlines()[2]
'年月,団体コード,所属,業務名,実行回数,削減前時間,削減後時間'
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

__all__ = ["DATA_DIR", "FILES", "MONTHS", "SEED", "main", "render", "write"]

#: Seed of :func:`numpy.random.default_rng`; changing it changes every file.
SEED = 20190401

#: Default output directory: ``data/runlogs/`` at the root of the repository.
DATA_DIR = Path(__file__).resolve().parents[2] / "data" / "runlogs"

#: Months of FY2019 and FY2020, ``(year, month)``: April 2019 to March 2021.
MONTHS = tuple((2019 + (m + 3) // 12, (m + 3) % 12 + 1) for m in range(24))


@dataclass(frozen=True)
class _Task:
    department: str
    task: str
    start: int  # index in MONTHS of the first month of use
    runs: float  # mean runs a month once in full use
    minutes: float  # manual minutes per run before the tool
    rate: float  # share of those minutes saved once in full use


#: The tasks of each municipality, in the order of the files' rows.
_MUNICIPALITIES: dict[str, tuple[_Task, ...]] = {
    "99101": (
        _Task("総務課", "議事録作成（音声認識）", 0, 14, 180, 0.55),
        _Task("総務課", "庁内照会回答集約", 3, 20, 25, 0.80),
        _Task("税務課", "納付データ消込", 1, 22, 40, 0.85),
        _Task("市民課", "転入届データ入力", 6, 60, 8, 0.75),
        _Task("会計課", "支払データ照合", 2, 21, 30, 0.90),
    ),
    "99102": (
        _Task("総務課", "議事録作成（音声認識）", 4, 8, 150, 0.50),
        _Task("税務課", "納付データ消込", 0, 20, 35, 0.85),
        _Task("福祉課", "給付申請データ入力", 8, 40, 12, 0.70),
        _Task("会計課", "支払データ照合", 5, 20, 30, 0.88),
    ),
    "99103": (
        _Task("企画課", "議事録作成（音声認識）", 2, 5, 120, 0.45),
        _Task("住民課", "転入届データ入力", 0, 25, 10, 0.70),
        _Task("住民課", "証明書交付データ入力", 12, 30, 6, 0.65),
    ),
}

#: Files written, relative to the output directory.
FILES = tuple(f"runlog_{code}.csv" for code in _MUNICIPALITIES)

_CANONICAL = (
    "month",
    "municipality_code",
    "department",
    "task",
    "runs",
    "hours_before",
    "hours_after",
)
_HEADERS = {
    "99101": _CANONICAL,
    "99102": ("年月", "団体コード", "所属", "業務名", "実行回数", "削減前時間", "削減後時間"),
    "99103": (
        "月",
        "市区町村コード",
        "所属名",
        "業務",
        "件数",
        "作業時間(導入前)",
        "作業時間(導入後)",
    ),
}
_FULL_WIDTH = str.maketrans("0123456789.", "０１２３４５６７８９．")


def _rows(rng: np.random.Generator, code: str) -> list[tuple[int, str, str, int, int, int]]:
    """``(month index, department, task, runs, tenths before, tenths after)``, sorted."""
    rows = []
    for t in _MUNICIPALITIES[code]:
        outage = int(rng.integers(t.start + 2, len(MONTHS)))  # a month the robot did not run
        for m in range(t.start, len(MONTHS)):
            ramp = min(1.0, 0.4 + 0.2 * (m - t.start))  # use grows over the first months
            runs = 0 if m == outage else int(rng.poisson(t.runs * ramp)) + 1
            minutes = runs * t.minutes * rng.uniform(0.8, 1.2)
            before = int(np.round(minutes / 6))  # tenths of an hour
            rate = t.rate * (0.7 if m - t.start < 2 else 1.0) * rng.uniform(0.9, 1.05)
            after = int(np.round(before * (1 - min(rate, 0.98))))
            rows.append((m, t.department, t.task, runs, before, after))
    rows.sort(key=lambda r: (r[0], r[1], r[2]))
    return rows


def _hours(tenths: int) -> str:
    return f"{tenths // 10}.{tenths % 10}"


def _month(code: str, m: int) -> str:
    year, month = MONTHS[m]
    if code == "99101":
        return f"{year}-{month:02d}"
    if code == "99103":
        return f"{year}年{month}月"
    if (year, month) < (2019, 5):
        return f"平成{year - 1988}年{month}月".translate(_FULL_WIDTH)
    era = "元" if year == 2019 else str(year - 2018)
    return f"令和{era}年{month}月".translate(_FULL_WIDTH)


def _cells(code: str, row: tuple[int, str, str, int, int, int]) -> list[str]:
    m, department, task, runs, before, after = row
    cells = [_month(code, m), code, department, task, str(runs), _hours(before), _hours(after)]
    if code == "99102":
        cells[4:] = [c.translate(_FULL_WIDTH) for c in cells[4:]]
    elif code == "99103":
        cells[4:] = [cells[4] + "件", cells[5] + "時間", cells[6] + "時間"]
    return cells


def _render(code: str, rows: list[tuple[int, str, str, int, int, int]]) -> bytes:
    buf = io.StringIO()
    newline = "\n" if code == "99101" else "\r\n"
    writer = csv.writer(buf, lineterminator=newline)
    if code == "99102":
        writer.writerow(["RPA・音声認識 実行ログ（令和元年度・令和２年度）　合成データ"])
        writer.writerow([])
    writer.writerow(_HEADERS[code])
    writer.writerows(_cells(code, r) for r in rows)
    text = buf.getvalue()
    if code == "99102":
        return text.encode("cp932")
    if code == "99103":
        return codecs.BOM_UTF8 + text.encode("utf-8")
    return text.encode("utf-8")


def render() -> dict[str, bytes]:
    """Every sample file's bytes, by file name (see :data:`FILES`)."""
    rng = np.random.default_rng(SEED)
    return {
        name: _render(code, _rows(rng, code))
        for name, code in zip(FILES, _MUNICIPALITIES, strict=True)
    }


def write(out: str | Path = DATA_DIR) -> list[Path]:
    """Write the sample files into ``out`` (created if missing); returns their paths."""
    files = render()
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, data in files.items():
        path = out / name
        path.write_bytes(data)
        written.append(path)
    return written


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: ``python -m evalkit.datasets.runlogs [--out DIR]``."""
    from .generate import write_cli

    return write_cli(
        argv,
        prog="python -m evalkit.datasets.runlogs",
        description="Write the synthetic run-log sample (schema runlog).",
        write=write,
        default=DATA_DIR,
    )


if __name__ == "__main__":
    raise SystemExit(main())
