"""Generate a national roll-up of run logs as Parquet, for benchmarks/bench_engines.py.

1,741 municipalities x 50 departments x 24 months (2019-04 .. 2021-03) =
2,089,200 unit-months, with ``k`` rows (tasks) in each, ``k`` chosen so that
the total is nearest to ``--rows`` (29e6 -> k = 14, 29,248,800 rows; 100e6 ->
k = 48, 100,281,600 rows). The columns and types are those ``evalkit
convert --schema runlog`` writes (``evalkit.readers.parquet_schema("runlog")``):
``month`` text ``YYYY-MM``, ``municipality_code`` 5-digit text, ``department``
(所属00 .. 所属49), ``task`` (業務00 ..), ``runs`` int64, ``hours_before`` and
``hours_after`` double.

Memory-bounded: the rows are generated in chunks of about ``--row-group``
rows (one Parquet row group each, whole municipalities), written and freed
one after another, into ``--files`` files of consecutive municipalities;
peak memory does not grow with ``--rows``. Each chunk draws from
``numpy.random.default_rng([SEED, file, chunk])``, so the data depend only on
the arguments. Every file is written to a hidden temporary name and renamed
when complete; ``_generated.json`` (ignored by Parquet readers, whose
folder scans skip names starting with ``_``) records the arguments, rows and
time taken, and is written last: a folder with it is complete.

Run it as its own process (bench_engines.py does)::

    .venv/bin/python benchmarks/gen_runlogs.py --rows 29e6 --out /tmp/evalkit-bench/runlogs-29M
"""

from __future__ import annotations

import argparse
import json
import math
import os
import resource
import sys
import time
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from evalkit.readers.convert import parquet_schema

N_MUNICIPALITIES = 1741
N_DEPARTMENTS = 50
N_MONTHS = 24
UNIT_MONTHS = N_MUNICIPALITIES * N_DEPARTMENTS * N_MONTHS  # 2,089,200
SEED = 20190401
DEFAULT_ROOT = Path("/tmp/evalkit-bench")
MONTHS = [f"{2019 + (m + 3) // 12}-{(m + 3) % 12 + 1:02d}" for m in range(N_MONTHS)]


def rows_per_unit_month(rows: float) -> int:
    """k, the rows per unit and month that bring the total nearest to ``rows`` (at least 1).

    >>> rows_per_unit_month(29e6), rows_per_unit_month(100e6), rows_per_unit_month(1)
    (14, 48, 1)
    """
    return max(1, round(rows / UNIT_MONTHS))


def municipality_codes(seed: int = SEED) -> list[str]:
    """1,741 distinct 5-digit codes, sorted (as in bench_reduction.py)."""
    rng = np.random.default_rng(seed)
    codes = rng.choice(np.arange(1000, 48000), N_MUNICIPALITIES, replace=False)
    return [f"{c:05d}" for c in np.sort(codes)]


def _text(indices: np.ndarray, values: list[str]) -> pa.Array:
    """Plain (not dictionary-typed) text column of ``values[indices]``."""
    dictionary = pa.DictionaryArray.from_arrays(pa.array(indices, pa.int32()), pa.array(values))
    return dictionary.cast(pa.string())


def make_chunk(munis: np.ndarray, k: int, codes: list[str], rng: np.random.Generator) -> pa.Table:
    """Rows of the municipalities ``munis`` (indices into ``codes``): dept, month, task order."""
    per_muni = N_DEPARTMENTS * N_MONTHS * k
    n = len(munis) * per_muni
    muni = np.repeat(munis, per_muni)
    dept = np.tile(np.repeat(np.arange(N_DEPARTMENTS), N_MONTHS * k), len(munis))
    month = np.tile(np.repeat(np.arange(N_MONTHS), k), len(munis) * N_DEPARTMENTS)
    task = np.tile(np.arange(k), len(munis) * N_DEPARTMENTS * N_MONTHS)
    runs = rng.poisson(20, n).astype("int64")
    before = np.round(rng.gamma(2.0, 2.0, n), 1)
    after = np.round(before * rng.uniform(0.1, 1.0, n), 1)
    return pa.table(
        [
            _text(month, MONTHS),
            _text(muni, codes),
            _text(dept, [f"所属{d:02d}" for d in range(N_DEPARTMENTS)]),
            _text(task, [f"業務{t:02d}" for t in range(k)]),
            pa.array(runs),
            pa.array(before),
            pa.array(after),
        ],
        schema=parquet_schema("runlog"),
    )


def generate(rows: float, out: Path, *, files: int | None = None, row_group: int = 1_000_000):
    """Write the roll-up into ``out``; returns what ``_generated.json`` records."""
    t0 = time.perf_counter()
    k = rows_per_unit_month(rows)
    total = UNIT_MONTHS * k
    files = files or max(1, math.ceil(total / 10_000_000))
    codes = municipality_codes()
    per_muni = N_DEPARTMENTS * N_MONTHS * k
    munis_per_chunk = max(1, round(row_group / per_muni))
    out.mkdir(parents=True, exist_ok=True)
    for old in out.glob("*.parquet"):
        old.unlink()
    (out / "_generated.json").unlink(missing_ok=True)
    written = 0
    blocks = np.array_split(np.arange(N_MUNICIPALITIES), files)
    for f, block in enumerate(blocks):
        path = out / f"runlogs_{f:03d}.parquet"
        temp = out / f".{path.name}.tmp"
        with pq.ParquetWriter(temp, parquet_schema("runlog"), compression="zstd") as writer:
            for c, start in enumerate(range(0, len(block), munis_per_chunk)):
                rng = np.random.default_rng([SEED, f, c])
                table = make_chunk(block[start : start + munis_per_chunk], k, codes, rng)
                writer.write_table(table, row_group_size=len(table))
                written += len(table)
                del table
        os.replace(temp, path)
        print(
            f"gen_runlogs: {path.name} ({written:,} of {total:,} rows, "
            f"{time.perf_counter() - t0:.0f} s)",
            file=sys.stderr,
            flush=True,
        )
    info = {
        "rows": written,
        "rows_asked": rows,
        "k": k,
        "files": files,
        "row_group_rows": munis_per_chunk * per_muni,
        "seed": SEED,
        "seconds": round(time.perf_counter() - t0, 1),
        "bytes": sum(p.stat().st_size for p in out.glob("*.parquet")),
        "peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }
    (out / "_generated.json").write_text(json.dumps(info, indent=1) + "\n")
    return info


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--rows", type=float, default=29e6, help="rows wanted (29e6, 100e6)")
    parser.add_argument("--out", type=Path, help="output folder (/tmp/evalkit-bench/runlogs-<N>M)")
    parser.add_argument("--files", type=int, help="Parquet files (default: 1 per 10 M rows)")
    parser.add_argument("--row-group", type=int, default=1_000_000, help="rows per row group")
    args = parser.parse_args(argv)
    out = args.out or DEFAULT_ROOT / f"runlogs-{args.rows / 1e6:g}M"
    info = generate(args.rows, out, files=args.files, row_group=args.row_group)
    print(json.dumps({"out": str(out), **info}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
