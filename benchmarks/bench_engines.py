"""Benchmark of evalkit.reduction() on run logs out of core: pandas, DuckDB and Dask side by side.

At a Parquet dataset written by ``benchmarks/gen_runlogs.py`` (generated
first, in its own process, when the folder has no ``_generated.json``), each
path is measured in a fresh subprocess:

- ``memory``: ``pd.read_parquet(folder)`` (timed once), then
  ``ek.reduction(df, before=, after=, unit=[municipality_code, department],
  period="month")`` against the pandas floor: a plain ``groupby(...,
  sort=False)[["hours_before", "hours_after"]].sum()`` by unit and by month,
  the same sums without checks or statistics (target: reduction <= 1.5 x
  floor). Also the bytes per row the path needs (peak RSS / rows) and that
  times ``--project`` rows (default 100 M): the memory the in-memory path
  would need there.
- ``duckdb``: ``ek.reduction("folder/*.parquet", ...)`` against DuckDB's own
  plain aggregate SQL of the same sums (``GROUP BY municipality_code,
  department`` and ``GROUP BY month`` over ``read_parquet``, results fetched
  to NumPy), 2 threads (target <= 2 x).
- ``dask``: ``ek.reduction(dd.read_parquet(folder), ...)`` on a
  ``LocalCluster`` of 2 worker processes with 1 thread each, against
  ``dask.compute`` of the same two groupby sums. The cluster's start-up is
  not timed.

Time is the best of ``--repeat`` calls after a first call (reported). Memory
is the peak resident set size of the whole process tree (the measuring
process, DuckDB's threads, Dask's scheduler and workers), sampled every
20 ms from ``/proc/<pid>/status`` of the process and all its descendants,
together with the exact peak of the measuring process itself
(``ru_maxrss``). Each child reports JSON; the parent prints a table, the
machine and the versions, and writes everything to ``--json``.

Examples::

    .venv/bin/python benchmarks/bench_engines.py --rows 29e6            # memory, duckdb, dask
    .venv/bin/python benchmarks/bench_engines.py --rows 100e6 --paths duckdb

Not a test: nothing fails when a figure is over its target. Results are
recorded in benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import resource
import subprocess
import sys
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEFAULT_ROOT = Path("/tmp/evalkit-bench")
UNIT = ["municipality_code", "department"]
COLS = ["hours_before", "hours_after"]
KW = {"before": "hours_before", "after": "hours_after", "unit": UNIT, "period": "month"}
PATHS = ("memory", "duckdb", "dask")


# ----------------------------------------------------------------------------- memory sampling


def _rss_kib(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status") as fh:
            for line in fh:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def _descendants(root: int) -> list[int]:
    """``root`` and every process below it, from the parent ids in /proc/*/stat."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as fh:
                stat = fh.read()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(ppid, []).append(int(entry))
    out, todo = [], [root]
    while todo:
        pid = todo.pop()
        out.append(pid)
        todo.extend(children.get(pid, []))
    return out


class TreeRSS:
    """Peak of the summed RSS of this process and its descendants, sampled in a thread."""

    def __init__(self, interval: float = 0.02) -> None:
        self.interval = interval
        self.peak_kib = 0
        self.max_processes = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.sample()
            self._stop.wait(self.interval)

    def sample(self) -> int:
        pids = _descendants(os.getpid())
        total = sum(_rss_kib(p) for p in pids)
        self.peak_kib = max(self.peak_kib, total)
        self.max_processes = max(self.max_processes, len(pids))
        return total

    def reset(self) -> None:
        self.peak_kib = 0
        self.sample()

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()
        self.sample()


def _mib(kib: float) -> float:
    return round(kib / 1024, 1)


def _best(func, repeat: int) -> tuple[float, list[float]]:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        func()
        times.append(round(time.perf_counter() - t0, 4))
    return min(times), times


def _timed_reduction(source, repeat: int) -> dict:
    """First call and best of ``repeat`` of ``ek.reduction(source, **KW)``, or the error."""
    import evalkit as ek

    try:
        t0 = time.perf_counter()
        res = ek.reduction(source, **KW)
        first = time.perf_counter() - t0
    except Exception as err:  # record why a path does not work yet, and go on
        return {"error": f"{type(err).__name__}: {err}"[:500]}
    best, times = _best(lambda: ek.reduction(source, **KW), repeat)
    return {
        "first_s": round(first, 4),
        "best_s": best,
        "times_s": times,
        "units": res.n,
        "periods": res.n_periods,
        "saved": res.saved,
        "rate": res.rate,
        "mean_saved_per_period": res.mean_saved_per_period,
        "rate_ci_method": res.rate_ci_method,
    }


# ----------------------------------------------------------------------------- children


def child_memory(data: Path, repeat: int) -> dict:
    import gc

    import pandas as pd

    import evalkit  # noqa: F401  (imported before the baseline, like the other paths)

    with TreeRSS() as tree:
        base = tree.sample()
        t0 = time.perf_counter()
        df = pd.read_parquet(data)
        read_s = time.perf_counter() - t0
        gc.collect()
        rows = len(df)
        after_read = tree.sample()
        read_peak = tree.peak_kib
        tree.reset()
        red = _timed_reduction(df, repeat)
        call_peak = tree.peak_kib

        def floor():
            df.groupby(UNIT, sort=False)[COLS].sum()
            df.groupby("month", sort=False)[COLS].sum()

        floor_best, floor_times = _best(floor, repeat)
    peak = max(read_peak, call_peak, tree.peak_kib)
    return {
        "rows": rows,
        "read_s": round(read_s, 3),
        "frame_bytes": int(df.memory_usage(deep=True).sum()),
        "dtypes": df.dtypes.astype(str).tolist(),
        "string_storage": getattr(df["department"].dtype, "storage", None),
        "rss_before_read_mib": _mib(base),
        "rss_after_read_mib": _mib(after_read),
        "peak_read_mib": _mib(read_peak),
        "peak_reduction_mib": _mib(call_peak),
        "peak_tree_mib": _mib(peak),
        "maxrss_self_mib": _mib(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss),
        "bytes_per_row_peak": round(peak * 1024 / rows, 1),
        "reduction": red,
        "floor_best_s": floor_best,
        "floor_times_s": floor_times,
    }


def child_duckdb(data: Path, repeat: int) -> dict:
    import duckdb

    import evalkit  # noqa: F401

    glob = f"{data}/*.parquet"
    with TreeRSS() as tree:
        base = tree.sample()
        red = _timed_reduction(glob, repeat)
        red_peak = tree.peak_kib
        tree.reset()
        con = duckdb.connect()
        con.execute("SET threads = 2")
        source = f"read_parquet('{glob}')"
        sums = "sum(hours_before) AS before, sum(hours_after) AS after"

        def floor():
            con.sql(
                f"SELECT municipality_code, department, {sums} FROM {source} "
                "GROUP BY municipality_code, department"
            ).fetchnumpy()
            con.sql(f"SELECT month, {sums} FROM {source} GROUP BY month").fetchnumpy()

        floor_best, floor_times = _best(floor, repeat)
        floor_peak = tree.peak_kib
        rows = con.execute(f"SELECT count(*) FROM {source}").fetchone()[0]
    return {
        "rows": rows,
        "duckdb_version": duckdb.__version__,
        "rss_before_mib": _mib(base),
        "peak_reduction_mib": _mib(red_peak),
        "peak_floor_mib": _mib(floor_peak),
        "maxrss_self_mib": _mib(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss),
        "reduction": red,
        "floor_best_s": floor_best,
        "floor_times_s": floor_times,
    }


def child_dask(data: Path, repeat: int, workers: int) -> dict:
    import dask
    import dask.dataframe as dd
    from distributed import Client, LocalCluster

    import evalkit  # noqa: F401

    with TreeRSS() as tree:
        base = tree.sample()
        t0 = time.perf_counter()
        cluster = LocalCluster(
            n_workers=workers,
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
            memory_limit="auto",
        )
        client = Client(cluster)
        startup_s = time.perf_counter() - t0
        tree.reset()
        ddf = dd.read_parquet(str(data))
        red = _timed_reduction(ddf, repeat)
        red_peak = tree.peak_kib
        tree.reset()

        def floor():
            dask.compute(
                ddf.groupby(UNIT, sort=False)[COLS].sum(),
                ddf.groupby("month", sort=False)[COLS].sum(),
            )

        floor_best, floor_times = _best(floor, repeat)
        floor_peak = tree.peak_kib
        processes = tree.max_processes
        client.close()
        cluster.close()
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return {
        "workers": workers,
        "cluster_startup_s": round(startup_s, 2),
        "partitions": ddf.npartitions,
        "rss_before_mib": _mib(base),
        "peak_reduction_mib": _mib(red_peak),
        "peak_floor_mib": _mib(floor_peak),
        "max_processes": processes,
        "maxrss_self_mib": _mib(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss),
        "maxrss_largest_child_mib": _mib(children),
        "reduction": red,
        "floor_best_s": floor_best,
        "floor_times_s": floor_times,
    }


# ----------------------------------------------------------------------------- parent


def machine() -> dict:
    import dask
    import duckdb
    import numpy
    import pandas
    import pyarrow

    model = "unknown"
    try:
        with open("/proc/cpuinfo") as fh:
            model = next(ln.split(":", 1)[1].strip() for ln in fh if ln.startswith("model name"))
    except (OSError, StopIteration):
        pass
    mem = 0
    try:
        with open("/proc/meminfo") as fh:
            mem = int(next(ln.split()[1] for ln in fh if ln.startswith("MemTotal")))
    except (OSError, StopIteration):
        pass
    import evalkit

    return {
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "cpu": model,
        "cores": os.cpu_count(),
        "affinity": len(os.sched_getaffinity(0)),
        "ram_gib": round(mem / 2**20, 1),
        "load_avg": os.getloadavg(),
        "platform": platform.platform(),
        "python": platform.python_version(),
        "evalkit": evalkit.__version__ if hasattr(evalkit, "__version__") else None,
        "numpy": numpy.__version__,
        "pandas": pandas.__version__,
        "pyarrow": pyarrow.__version__,
        "duckdb": duckdb.__version__,
        "dask": dask.__version__,
        "pyarrow_strings": str(pandas.Series(["a"]).dtype.storage) == "pyarrow",
    }


def ensure_data(data: Path, rows: float) -> dict:
    marker = data / "_generated.json"
    if not marker.exists():
        subprocess.run(
            [
                sys.executable,
                str(HERE / "gen_runlogs.py"),
                "--rows",
                str(rows),
                "--out",
                str(data),
            ],
            check=True,
        )
    return json.loads(marker.read_text())


def run_child(
    path: str, data: Path, repeat: int, workers: int, timeout: float, cap_gib: float
) -> dict:
    """Run one measure in a subprocess; stop it (its whole session) above ``cap_gib`` of RSS.

    The cap protects a shared machine: the child is killed as soon as the summed
    RSS of its process tree, polled every 0.1 s, exceeds it.
    """
    import signal
    import tempfile

    cmd = [sys.executable, __file__, "--child", path, "--data", str(data)]
    cmd += ["--repeat", str(repeat), "--workers", str(workers)]
    t0 = time.perf_counter()
    peak = 0
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        proc = subprocess.Popen(cmd, stdout=out, stderr=err, text=True, start_new_session=True)
        stopped = None
        while proc.poll() is None:
            rss = sum(_rss_kib(p) for p in _descendants(proc.pid))
            peak = max(peak, rss)
            if rss > cap_gib * 2**20:
                stopped = f"stopped: the process tree's RSS passed the cap of {cap_gib:g} GiB"
            elif time.perf_counter() - t0 > timeout:
                stopped = f"stopped: timed out after {timeout:g} s"
            if stopped:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
                break
            time.sleep(0.1)
        wall = time.perf_counter() - t0
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read(), err.read()
    if stopped:
        return {"error": stopped, "wall_s": round(wall, 1), "peak_polled_mib": _mib(peak)}
    if proc.returncode != 0:
        return {"error": stderr.strip()[-1500:], "returncode": proc.returncode}
    result = json.loads(stdout.strip().splitlines()[-1])
    result["child_wall_s"] = round(wall, 1)
    result["peak_polled_by_parent_mib"] = _mib(peak)
    return result


def _ratio(res: dict) -> str:
    red = res.get("reduction", {})
    if "best_s" not in red or not res.get("floor_best_s"):
        return "-"
    return f"{red['best_s'] / res['floor_best_s']:.2f}x"


def report(results: dict, project: float) -> str:
    lines = [f"{'path':8} {'reduction':>10} {'floor':>8} {'ratio':>7} {'peak RSS':>10}  notes"]
    for path, res in results.items():
        if "error" in res and "reduction" not in res:
            lines.append(f"{path:8} {res['error'].splitlines()[-1][:200]}")
            continue
        red = res["reduction"]
        best = f"{red['best_s']:.2f} s" if "best_s" in red else "error"
        peak = res.get("peak_tree_mib") or max(
            res.get("peak_reduction_mib", 0), res.get("peak_floor_mib", 0)
        )
        note = ""
        if "error" in red:
            note = red["error"].splitlines()[0][:160]
        elif path == "memory":
            need = res["bytes_per_row_peak"] * project / 2**30
            note = (
                f"read {res['read_s']:.1f} s; {res['bytes_per_row_peak']:.0f} B/row at peak "
                f"-> {need:.1f} GiB at {project / 1e6:g} M rows"
            )
        lines.append(
            f"{path:8} {best:>10} {res['floor_best_s']:>6.2f} s {_ratio(res):>7} "
            f"{peak:>7.0f} MiB  {note}"
        )
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--rows", type=float, default=29e6, help="dataset size (29e6, 100e6)")
    parser.add_argument("--data", type=Path, help="Parquet folder (/tmp/evalkit-bench/runlogs-NM)")
    parser.add_argument("--paths", default=",".join(PATHS), help="memory,duckdb,dask")
    parser.add_argument("--repeat", type=int, default=3, help="timed calls per measure")
    parser.add_argument("--workers", type=int, default=2, help="Dask worker processes")
    parser.add_argument("--project", type=float, default=100e6, help="rows to project memory to")
    parser.add_argument("--timeout", type=float, default=3600, help="seconds per path")
    parser.add_argument(
        "--cap-gib", type=float, default=10, help="stop a path whose RSS passes this (GiB)"
    )
    parser.add_argument("--json", type=Path, help="write all results to this file")
    parser.add_argument("--child", choices=PATHS, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    data = args.data or DEFAULT_ROOT / f"runlogs-{args.rows / 1e6:g}M"
    if args.child:
        child = {
            "memory": lambda: child_memory(data, args.repeat),
            "duckdb": lambda: child_duckdb(data, args.repeat),
            "dask": lambda: child_dask(data, args.repeat, args.workers),
        }[args.child]
        print(json.dumps(child()))
        return 0
    generated = ensure_data(data, args.rows)
    info = {"machine": machine(), "data": str(data), "generated": generated}
    print(json.dumps(info["machine"]), file=sys.stderr)
    results = {}
    for path in args.paths.split(","):
        print(f"bench_engines: {path} ...", file=sys.stderr, flush=True)
        results[path] = run_child(path, data, args.repeat, args.workers, args.timeout, args.cap_gib)
        print(json.dumps(results[path]), file=sys.stderr, flush=True)
    info["results"] = results
    print(f"{generated['rows']:,} rows in {generated['files']} files at {data}")
    print(report(results, args.project))
    if args.json:
        args.json.write_text(json.dumps(info, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
