"""Which engine runs: decided by the type of ``data`` alone, without importing the engines."""

import subprocess
import sys
from pathlib import Path

import dask.dataframe as dd
import duckdb
import pandas as pd

from evalkit.engines import engine_of


def test_engine_of_each_input():
    frame = pd.DataFrame({"a": [1.0]})
    assert engine_of(frame) is None
    assert engine_of(None) is None
    assert engine_of([1, 2]) is None
    assert engine_of("runs/*.parquet") == "duckdb"
    assert engine_of(Path("runs")) == "duckdb"
    assert engine_of(duckdb.connect().sql("SELECT 1 AS a")) == "duckdb"
    assert engine_of(dd.from_pandas(frame, npartitions=1)) == "dask"
    assert engine_of(dd.from_pandas(frame, npartitions=1)["a"]) is None  # a Series


def test_in_memory_calls_import_no_engine():
    code = (
        "import sys, pandas as pd, evalkit as ek\n"
        "df = pd.DataFrame({'b': [4.0, 6.0, 5.0], 'a': [1.0, 2.0, 5.0], 'u': list('xyz')})\n"
        "ek.reduction(df, before='b', after='a', unit='u', random_state=1)\n"
        "ek.usage(df, unit='u')\n"
        "print([m for m in ('duckdb', 'dask', 'distributed', 'pyarrow.parquet')"
        " if m in sys.modules])\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
