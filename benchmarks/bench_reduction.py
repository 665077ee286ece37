"""Benchmark of evalkit.reduction() on a national roll-up, and of ``import evalkit``.

Data: 1,741 municipalities x 50 departments x 24 months = 2,089,200 rows and
87,050 units (municipality/department), generated with a seeded generator.
Measured:

1. wall time of ``reduction(data, before=, after=, unit=, period=)``, best of
   ``--repeat`` calls in one process (after a first, reported, call that also
   pays for anything imported on first use);
2. the floor: a plain pandas ``groupby(...).sum()`` of the same sums (by unit
   and by month), best of ``--repeat``;
3. memory, in a fresh subprocess: the peak resident set size while
   generating the data (``resource.getrusage(RUSAGE_SELF).ru_maxrss``), the
   resident size once the data exist (``VmRSS``), and the peak reached during
   ``reduction()`` after resetting the kernel's high-water mark
   (``/proc/self/clear_refs``, then ``VmHWM``; the reset also lowers
   ``ru_maxrss``, so the whole-process peak is the larger of the two); plus the
   ``tracemalloc`` peak of the call (allocations made by Python and NumPy
   during the call only) in a separate subprocess, because tracing slows
   the call down;
4. ``import evalkit`` against ``import pandas, scipy.stats`` in fresh
   interpreters (best of ``--imports`` interleaved runs each), and whether importing
   evalkit loads matplotlib or seaborn.

Run with ``python benchmarks/bench_reduction.py`` (or ``make bench``);
results are recorded in benchmarks/README.md. Not a test: nothing fails.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time

N_MUNICIPALITIES = 1741
N_DEPARTMENTS = 50
N_MONTHS = 24
SEED = 20190401
KW = {"before": "hours_before", "after": "hours_after", "unit": "unit", "period": "month"}


def make_data(seed: int = SEED):
    """National roll-up: one row per municipality, department and month."""
    import numpy as np
    import pandas as pd

    rng = np.random.default_rng(seed)
    n_units = N_MUNICIPALITIES * N_DEPARTMENTS
    n = n_units * N_MONTHS
    codes = rng.choice(np.arange(1000, 48000), N_MUNICIPALITIES, replace=False)
    muni = pd.Series([f"{c:05d}" for c in np.sort(codes)]).repeat(N_DEPARTMENTS * N_MONTHS)
    dept = pd.Series([f"所属{d:02d}" for d in range(N_DEPARTMENTS)]).repeat(N_MONTHS)
    dept = pd.concat([dept] * N_MUNICIPALITIES)
    # one new text object per row, as a file reader would produce
    unit = muni.reset_index(drop=True) + "/" + dept.reset_index(drop=True)
    months = pd.period_range("2018-04", periods=N_MONTHS, freq="M")
    month = np.tile(np.arange(N_MONTHS), n_units)
    before = np.round(rng.gamma(2.0, 20.0, n), 1)
    after = np.round(before * rng.uniform(0.1, 1.0, n), 1)
    return pd.DataFrame(
        {
            "unit": unit,
            "month": pd.PeriodIndex(months[month]),
            "hours_before": before,
            "hours_after": after,
        }
    )


def _best(func, repeat):
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        func()
        times.append(time.perf_counter() - t0)
    return min(times), times


def child_timing(repeat: int) -> dict:
    from evalkit import reduction

    data = make_data()
    t0 = time.perf_counter()
    res = reduction(data, **KW)
    first = time.perf_counter() - t0
    best, times = _best(lambda: reduction(data, **KW), repeat)

    def floor():
        cols = ["hours_before", "hours_after"]
        data.groupby("unit", sort=False)[cols].sum()
        data.groupby("month", sort=False)[cols].sum()

    floor_best, floor_times = _best(floor, repeat)
    return {
        "rows": len(data),
        "units": res.n,
        "periods": res.n_periods,
        "rate_ci_method": res.rate_ci_method,
        "first_call_s": first,
        "best_s": best,
        "times_s": times,
        "floor_best_s": floor_best,
        "floor_times_s": floor_times,
    }


def _status_kib(field: str) -> int | None:
    try:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return None


def child_memory() -> dict:
    import gc
    import resource

    from evalkit import reduction

    data = make_data()
    gc.collect()
    baseline_rss = _status_kib("VmRSS")
    maxrss_after_data = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    try:
        with open("/proc/self/clear_refs", "w") as fh:
            fh.write("5")  # reset the peak-RSS high-water mark (Linux)
        reset = True
    except OSError:
        reset = False
    reduction(data, **KW)
    return {
        "data_bytes": int(data.memory_usage(deep=True).sum()),
        "rss_after_data_kib": baseline_rss,
        "maxrss_after_data_kib": maxrss_after_data,
        "hwm_during_call_kib": _status_kib("VmHWM") if reset else None,
        "maxrss_process_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
    }


def child_tracemalloc() -> dict:
    import tracemalloc

    from evalkit import reduction

    data = make_data()
    reduction(data, **KW)  # imports done before tracing
    tracemalloc.start()
    reduction(data, **KW)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return {"tracemalloc_peak_bytes": peak}


def _run_child(kind: str, *extra: str) -> dict:
    out = subprocess.run(
        [sys.executable, __file__, "--child", kind, *extra],
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def import_times(runs: int) -> dict:
    code = (
        "import sys, time; t0 = time.perf_counter(); {stmt}; "
        "t = time.perf_counter() - t0; "
        "print(t, int('matplotlib' in sys.modules), int('seaborn' in sys.modules))"
    )
    stmts = {
        "evalkit": "import evalkit",
        "evalkit.stats.reduction": "import evalkit.stats.reduction",
        "pandas + scipy.stats": "import pandas, scipy.stats",
    }
    best = dict.fromkeys(stmts, float("inf"))
    loaded = dict.fromkeys(stmts, False)
    for _ in range(runs):  # interleaved, so that changing machine load hits all alike
        for name, stmt in stmts.items():
            out = subprocess.run(
                [sys.executable, "-c", code.format(stmt=stmt)],
                check=True,
                capture_output=True,
                text=True,
            ).stdout.split()
            best[name] = min(best[name], float(out[0]))
            loaded[name] = loaded[name] or out[1:] != ["0", "0"]
    result = {
        name: {"best_s": best[name], "matplotlib_or_seaborn_loaded": loaded[name]} for name in stmts
    }
    return result


def machine() -> dict:
    import numpy
    import pandas
    import scipy

    cpu = "unknown"
    try:
        with open("/proc/cpuinfo") as fh:
            for line in fh:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    mem_kib = None
    try:
        with open("/proc/meminfo") as fh:
            mem_kib = int(fh.readline().split()[1])
    except OSError:
        pass
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "ram_gib": None if mem_kib is None else round(mem_kib / 2**20, 1),
        "python": platform.python_version(),
        "numpy": numpy.__version__,
        "pandas": pandas.__version__,
        "scipy": scipy.__version__,
        "platform": platform.platform(),
        "date": time.strftime("%Y-%m-%d"),
    }


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="timed calls (best is reported)")
    parser.add_argument("--imports", type=int, default=7, help="fresh interpreters per import")
    parser.add_argument(
        "--child", choices=["timing", "memory", "tracemalloc"], help=argparse.SUPPRESS
    )
    args = parser.parse_args(argv)
    if args.child == "timing":
        print(json.dumps(child_timing(args.repeat)))
        return
    if args.child == "memory":
        print(json.dumps(child_memory()))
        return
    if args.child == "tracemalloc":
        print(json.dumps(child_tracemalloc()))
        return

    info = machine()
    timing = _run_child("timing", "--repeat", str(args.repeat))
    memory = _run_child("memory")
    traced = _run_child("tracemalloc")
    imports = import_times(args.imports)
    mib = 1024.0
    print(f"machine: {info['cpu']}, {info['cores']} cores, {info['ram_gib']} GiB RAM")
    print(
        f"python {info['python']}, numpy {info['numpy']}, pandas {info['pandas']}, "
        f"scipy {info['scipy']}; {info['platform']}; {info['date']}"
    )
    print(f"data: {timing['rows']:,} rows, {timing['units']:,} units, {timing['periods']} months")
    print(f"rate_ci: {timing['rate_ci_method']}")
    print(f"reduction() first call in the process: {timing['first_call_s']:.3f} s")
    print(
        f"reduction() best of {args.repeat}: {timing['best_s']:.3f} s  "
        f"(all: {', '.join(f'{t:.3f}' for t in timing['times_s'])})"
    )
    print(
        f"pandas groupby floor best of {args.repeat}: {timing['floor_best_s']:.3f} s  "
        f"(ratio {timing['best_s'] / timing['floor_best_s']:.1f}x)"
    )
    print(f"data frame in memory (deep): {memory['data_bytes'] / 2**20:.0f} MiB")
    print(f"process RSS after generating data: {memory['rss_after_data_kib'] / mib:.0f} MiB")
    gen_peak = memory["maxrss_after_data_kib"]
    print(f"peak RSS while generating the data (ru_maxrss): {gen_peak / mib:.0f} MiB")
    hwm = memory["hwm_during_call_kib"]
    if hwm is not None:
        inc = hwm - memory["rss_after_data_kib"]
        print(
            f"peak RSS during reduction() (VmHWM after reset): {hwm / mib:.0f} MiB, "
            f"i.e. {inc / mib:.0f} MiB above the resident data"
        )
        print(f"whole-process peak RSS: {max(gen_peak, hwm) / mib:.0f} MiB")
    else:
        print(
            "peak-RSS reset unavailable; whole-process peak RSS (ru_maxrss): "
            f"{memory['maxrss_process_kib'] / mib:.0f} MiB"
        )
    traced_mib = traced["tracemalloc_peak_bytes"] / 2**20
    print(f"tracemalloc peak of one reduction() call: {traced_mib:.0f} MiB")
    for name, row in imports.items():
        loaded = "yes" if row["matplotlib_or_seaborn_loaded"] else "no"
        print(
            f"import {name}: best of {args.imports} fresh interpreters "
            f"{row['best_s'] * 1000:.0f} ms; matplotlib/seaborn loaded: {loaded}"
        )


if __name__ == "__main__":
    main()
