"""Coverage of the 95 % intervals for the aggregate reduction rate, by simulation.

``evalkit.reduction()`` reports the aggregate rate R = sum(b - a) / sum(b) over
units (departments) with ``rate_ci``. This script draws many samples of units
from known populations, computes the intervals for each sample, and counts how
often they hold the population's rate. See validation/README.md for the design,
the results and the command that produced them.

Scenarios (hours per unit lognormal around a median of 200 hours):

- S1: log-sd 1.0; each unit's rate ~ Beta(6, 4) (mean 0.6), independent of size.
- S2: log-sd 1.5; bigger units save a larger share:
  logit(rate_i) = 0.2 (log b_i - log 200) + N(0, 1).
- S3 (stress, beyond the bars of the issue): as S2 with less noise, N(0, 0.5^2),
  so that size explains most of the differences between units.

after_i = b_i (1 - rate_i). The truth is the population ratio
E[b rate] / E[b] (and E[rate] for ``mean_unit_rate_ci``), computed exactly by
Gauss-Hermite quadrature and checked against a draw of 10^7 units.

Methods: evalkit's own ``rate_ci`` through ``evalkit.reduction()`` (the real
code), evalkit 0.2.0's BCa interval (``scipy.stats.bootstrap``, the same call
as evalkit 0.2.0 made), evalkit's ratio-estimator interval (the real private
function used above 1,000 units), a jackknife-variance t interval, and
bootstrap variants computed here from one shared set of resamples per sample:
percentile, bootstrap-t (equal-tailed), bootstrap-t on the log(1 - R) scale,
symmetric bootstrap-t with jackknife SE.

Run: ``.venv/bin/python validation/simulate_rate_ci.py`` (full run, writes
validation/results_rate_ci.csv.gz and prints the tables); ``--quick`` for a smoke
run; ``--summarise FILE`` prints the tables of an existing results file.
"""

from __future__ import annotations

import os

# one core: keep any threaded library to a single thread
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse  # noqa: E402
import datetime  # noqa: E402
import math  # noqa: E402
import platform  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
import warnings  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import scipy  # noqa: E402
from scipy import special, stats  # noqa: E402

import evalkit  # noqa: E402
from evalkit.stats._inference import _ratio_ci  # noqa: E402

HERE = Path(__file__).resolve().parent
DEFAULT_OUT = HERE / "results_rate_ci.csv.gz"
CONFIDENCE = 0.95
MEDIAN_HOURS = 200.0

SCENARIOS = {
    "S1": {"sigma": 1.0, "rates": "beta", "a": 6.0, "b": 4.0},
    "S2": {"sigma": 1.5, "rates": "logit", "alpha": 0.0, "beta": 0.2, "tau": 1.0},
    "S3": {"sigma": 1.5, "rates": "logit", "alpha": 0.0, "beta": 0.2, "tau": 0.5},
}

#: method key -> label in the tables, in table order
METHODS = {
    "evalkit": "evalkit rate_ci: symmetric bootstrap-t, linearised SE (chosen)",
    "boot_t": "bootstrap-t, equal-tailed, linearised SE (review's proposal)",
    "boot_t_log": "bootstrap-t, equal-tailed, on log(1 - R), back-transformed",
    "boot_t_jack_sym": "symmetric bootstrap-t, jackknife SE",
    "bca": "BCa (evalkit 0.2.0 rate_ci)",
    "percentile": "percentile bootstrap",
    "ratio_t": "ratio-estimator (linearisation) t, evalkit above 1,000 units",
    "jack_t": "jackknife-variance t interval",
    "mur": "mean_unit_rate_ci (t interval of unit rates; truth E[rate])",
}


# ---------------------------------------------------------------------------
# populations and their truth


def draw(scenario: dict, n: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """n units: before-hours b and after-hours a = b (1 - rate)."""
    z = rng.standard_normal(n)
    before = MEDIAN_HOURS * np.exp(scenario["sigma"] * z)
    if scenario["rates"] == "beta":
        rate = rng.beta(scenario["a"], scenario["b"], n)
    else:
        eta = scenario["alpha"] + scenario["beta"] * scenario["sigma"] * z
        rate = special.expit(eta + scenario["tau"] * rng.standard_normal(n))
    return before, before * (1.0 - rate)


def exact_truth(scenario: dict) -> tuple[float, float]:
    """(E[b rate] / E[b], E[rate]) by Gauss-Hermite quadrature (200 nodes).

    S1: rate independent of b, both are the Beta mean a / (a + b). Logit
    scenarios: with z = (log b - log 200) / sigma ~ N(0, 1), weighting by
    b = 200 exp(sigma z) turns z into N(sigma, 1) (exponential tilting), so
    E[b rate] / E[b] = E[expit(alpha + beta sigma^2 + s W)] and
    E[rate] = E[expit(alpha + s W)], W ~ N(0, 1), s^2 = beta^2 sigma^2 + tau^2.
    """
    if scenario["rates"] == "beta":
        mean = scenario["a"] / (scenario["a"] + scenario["b"])
        return mean, mean
    x, w = np.polynomial.hermite_e.hermegauss(200)
    w = w / w.sum()
    sig, beta = scenario["sigma"], scenario["beta"]
    s = math.hypot(beta * sig, scenario["tau"])
    agg = float(np.sum(w * special.expit(scenario["alpha"] + beta * sig**2 + s * x)))
    unit = float(np.sum(w * special.expit(scenario["alpha"] + s * x)))
    return agg, unit


def monte_carlo_truth(scenario: dict, n_units: int, seed: int) -> tuple[float, float, float]:
    """The same two numbers from one draw of ``n_units`` units (chunks of 10^6).

    Also the linearised standard error of the drawn ratio,
    sqrt(sum (d_i - R b_i)^2) / sum b_i, to judge the check by.
    """
    rng = np.random.default_rng(seed)
    sums = dict.fromkeys(("d", "b", "dd", "db", "bb", "rates"), 0.0)
    left = n_units
    while left:
        m = min(left, 1_000_000)
        b, a = draw(scenario, m, rng)
        d = b - a
        for key, value in (
            ("d", d.sum()),
            ("b", b.sum()),
            ("dd", d @ d),
            ("db", d @ b),
            ("bb", b @ b),
            ("rates", (d / b).sum()),
        ):
            sums[key] += float(value)
        left -= m
    ratio = sums["d"] / sums["b"]
    ss = sums["dd"] - 2 * ratio * sums["db"] + ratio**2 * sums["bb"]
    return ratio, sums["rates"] / n_units, math.sqrt(max(ss, 0.0)) / sums["b"]


# ---------------------------------------------------------------------------
# the comparison intervals (the chosen one comes from evalkit itself)


def bca_020(b, a, n_resamples, rng):
    """evalkit 0.2.0's rate_ci for 2..1000 units: BCa, scipy.stats.bootstrap, same arguments.

    Falls back, as 0.2.0 did, to the ratio-estimator interval when scipy warns
    (degenerate bootstrap distribution). Returns (low, high, fell_back).
    """
    order = np.lexsort((a, b))
    b, a = b[order], a[order]

    def statistic(b, a, axis=-1):
        with np.errstate(divide="ignore", invalid="ignore"):
            return 1.0 - a.sum(axis=axis) / b.sum(axis=axis)

    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        warnings.simplefilter("error", stats.DegenerateDataWarning)
        try:
            res = stats.bootstrap(
                (b, a),
                statistic,
                n_resamples=n_resamples,
                batch=max(1, 4_000_000 // b.size),
                vectorized=True,
                paired=True,
                confidence_level=CONFIDENCE,
                method="BCa",
                rng=rng,
            )
            low, high = float(res.confidence_interval.low), float(res.confidence_interval.high)
            if math.isfinite(low) and math.isfinite(high):
                return low, high, False
        except (RuntimeWarning, stats.DegenerateDataWarning):
            pass
    rate = 1.0 - a.sum() / b.sum()
    return (*_ratio_ci(b, a, rate, CONFIDENCE), True)


def _order_stat(x: np.ndarray, j: int) -> float:
    """The j-th smallest value of x (1-based)."""
    return float(np.partition(x, j - 1)[j - 1])


def bootstrap_family(b, a, n_resamples, rng):
    """Percentile, bootstrap-t (plain, log scale) and symmetric jackknife-SE bootstrap-t.

    One shared set of resamples; order statistics with k = floor((B + 1) alpha / 2)
    as in Davison & Hinkley (1997, sec. 5.2). Resamples whose t is not finite
    are dropped (none occur in these scenarios: every b and a is positive).
    Jackknife SE of a ratio: v_J = (n - 1) / n sum (R_(i) - mean R_(.))^2 with
    R_(i) = (D - d_i) / (B - b_i) (Efron & Tibshirani 1993, ch. 11).
    """
    n = b.size
    d = b - a
    alpha = 1.0 - CONFIDENCE
    r_hat = d.sum() / b.sum()
    q_hat = 1.0 - r_hat
    se = math.sqrt(((d - r_hat * b) ** 2).sum() / (n * (n - 1))) / b.mean()
    jack = (d.sum() - d) / (b.sum() - b)
    se_jack = math.sqrt((n - 1) / n * ((jack - jack.mean()) ** 2).sum())
    reps, t_lin, t_log, t_jack = (np.empty(n_resamples) for _ in range(4))
    batch = max(1, 1_000_000 // n)
    for start in range(0, n_resamples, batch):
        m = min(batch, n_resamples - start)
        idx = rng.integers(0, n, size=(m, n))
        bs, ds = b[idx], d[idx]
        tot_b, tot_d = bs.sum(axis=1), ds.sum(axis=1)
        r = tot_d / tot_b
        resid = ds - r[:, None] * bs
        se_s = np.sqrt(np.einsum("ij,ij->i", resid, resid) / (n * (n - 1))) / (tot_b / n)
        loo = (tot_d[:, None] - ds) / (tot_b[:, None] - bs)
        loo -= loo.mean(axis=1, keepdims=True)
        se_j = np.sqrt((n - 1) / n * np.einsum("ij,ij->i", loo, loo))
        with np.errstate(divide="ignore", invalid="ignore"):
            sl = slice(start, start + m)
            reps[sl] = r
            t_lin[sl] = (r - r_hat) / se_s
            t_log[sl] = (np.log1p(-r) - math.log(q_hat)) / (se_s / (1.0 - r))
            t_jack[sl] = np.abs(r - r_hat) / se_j
    out = {}
    k = math.floor((n_resamples + 1) * alpha / 2 + 1e-9)
    out["percentile"] = (_order_stat(reps, k), _order_stat(reps, n_resamples + 1 - k))
    for key, t in (("boot_t", t_lin), ("boot_t_log", t_log)):
        t = t[np.isfinite(t)]
        kk = math.floor((t.size + 1) * alpha / 2 + 1e-9)
        lo_t, hi_t = _order_stat(t, kk), _order_stat(t, t.size + 1 - kk)
        if key == "boot_t":
            out[key] = (r_hat - hi_t * se, r_hat - lo_t * se)
        else:  # interval for log(1 - R), then R = 1 - exp(.)
            th, se_th = math.log(q_hat), se / q_hat
            out[key] = (1.0 - math.exp(th - lo_t * se_th), 1.0 - math.exp(th - hi_t * se_th))
    t = t_jack[np.isfinite(t_jack)]
    kk = math.floor((t.size + 1) * alpha + 1e-9)
    q = _order_stat(t, t.size + 1 - kk)
    out["boot_t_jack_sym"] = (r_hat - q * se_jack, r_hat + q * se_jack)
    q_t = float(stats.t.ppf((1 + CONFIDENCE) / 2, n - 1))
    out["jack_t"] = (r_hat - q_t * se_jack, r_hat + q_t * se_jack)
    return out


# ---------------------------------------------------------------------------
# one cell: a scenario and a number of units


def run_cell(name, n, n_samples, n_resamples, seed_seq):
    scenario = SCENARIOS[name]
    truth_rate, truth_mur = exact_truth(scenario)
    rng = np.random.default_rng(seed_seq)
    rows = []
    for i in range(n_samples):
        b, a = draw(scenario, n, rng)
        seed = int(rng.integers(2**31))
        res = evalkit.reduction(before=b, after=a, n_resamples=n_resamples, random_state=seed)
        row = {
            "scenario": name,
            "n": n,
            "sample": i,
            "truth_rate": truth_rate,
            "truth_mean_unit_rate": truth_mur,
            "rate": res.rate,
            "mean_unit_rate": res.mean_unit_rate,
            "evalkit_low": res.rate_ci[0],
            "evalkit_high": res.rate_ci[1],
            "evalkit_fallback": int(not res.rate_ci_method.startswith("symmetric studentised")),
            "mur_low": res.mean_unit_rate_ci[0],
            "mur_high": res.mean_unit_rate_ci[1],
        }
        low, high, fell_back = bca_020(b, a, n_resamples, rng)
        row.update(bca_low=low, bca_high=high, bca_fallback=int(fell_back))
        row["ratio_t_low"], row["ratio_t_high"] = _ratio_ci(b, a, res.rate, CONFIDENCE)
        for key, (low, high) in bootstrap_family(b, a, n_resamples, rng).items():
            # every upper bound capped at 1, as evalkit does (after >= 0)
            row[f"{key}_low"], row[f"{key}_high"] = low, min(high, 1.0)
        rows.append(row)
    return rows


# ---------------------------------------------------------------------------
# summary


def summarise(df: pd.DataFrame) -> pd.DataFrame:
    """Coverage, misses below/above, mean and median width per scenario, n and method."""
    out = []
    for (name, n), cell in df.groupby(["scenario", "n"], sort=True):
        for key in METHODS:
            truth = cell["truth_mean_unit_rate" if key == "mur" else "truth_rate"]
            low, high = cell[f"{key}_low"], cell[f"{key}_high"]
            below, above = (truth < low).mean(), (truth > high).mean()
            width = high - low
            out.append(
                {
                    "scenario": name,
                    "n": int(n),
                    "method": key,
                    "samples": len(cell),
                    "coverage": 1.0 - below - above,
                    "miss_below": below,
                    "miss_above": above,
                    "mean_width": width.mean(),
                    "median_width": width.median(),
                }
            )
    return pd.DataFrame(out)


def markdown(summary: pd.DataFrame) -> str:
    lines = []
    for name, part in summary.groupby("scenario", sort=True):
        sizes = sorted(part["n"].unique())
        samples = sorted(part["samples"].unique())
        lines.append(
            f"\n{name}: coverage % (truth below the interval / above it, %); mean width "
            f"(median width); {'/'.join(str(s) for s in samples)} samples per cell\n"
        )
        lines.append("| method | " + " | ".join(f"n = {n:,}" for n in sizes) + " |")
        lines.append("|---|" + "---|" * len(sizes))
        for key, label in METHODS.items():
            cells = []
            for n in sizes:
                r = part[(part["n"] == n) & (part["method"] == key)].iloc[0]
                cells.append(
                    f"{100 * r.coverage:.1f} ({100 * r.miss_below:.1f}/{100 * r.miss_above:.1f})"
                    f"; {r.mean_width:.3g} ({r.median_width:.3g})"
                )
            lines.append(f"| {label} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def machine() -> str:
    model = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
        mem_kb = next(
            int(line.split()[1])
            for line in Path("/proc/meminfo").read_text().splitlines()
            if line.startswith("MemTotal")
        )
        ram = f"{mem_kb / 2**20:.1f} GiB"
    except (OSError, StopIteration):
        ram = "unknown"
    return (
        f"CPU {model}, {os.cpu_count()} cores, RAM {ram}; Python {platform.python_version()}, "
        f"numpy {np.__version__}, scipy {scipy.__version__}, pandas {pd.__version__}, "
        f"evalkit {getattr(evalkit, '__version__', '?')}; "
        f"{datetime.datetime.now().astimezone():%Y-%m-%d %H:%M %Z}"
    )


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--samples", type=int, default=2000, help="samples per cell (default 2000)")
    p.add_argument("--resamples", type=int, default=1999, help="bootstrap resamples (1999)")
    p.add_argument("--seed", type=int, default=20190401, help="master seed (default 20190401)")
    p.add_argument("--sizes", default="10,30,116,1000", help="numbers of units, comma-separated")
    p.add_argument("--scenarios", default="S1,S2,S3", help="comma-separated, of S1,S2,S3")
    p.add_argument(
        "--truth-units", type=int, default=None, help="units of the truth check (10^7; quick 10^5)"
    )
    p.add_argument("--out", default=None, help=f"results CSV (default {DEFAULT_OUT.name})")
    p.add_argument(
        "--quick", action="store_true", help="smoke run: 100 samples, 199 resamples, n = 10, 30"
    )
    p.add_argument("--summarise", metavar="CSV", help="only print the tables of a results file")
    args = p.parse_args(argv)

    if args.summarise:
        print(markdown(summarise(pd.read_csv(args.summarise))))
        return 0
    if args.quick:
        args.samples, args.resamples, args.sizes = 100, 199, "10,30"
    if args.truth_units is None:
        args.truth_units = 10**5 if args.quick else 10**7
    out = Path(args.out) if args.out else (None if args.quick else DEFAULT_OUT)
    sizes = [int(s) for s in args.sizes.split(",")]
    names = [s.strip() for s in args.scenarios.split(",")]
    t_start = time.perf_counter()
    print(machine())
    print(
        f"{args.samples} samples per cell, {args.resamples} resamples, seed {args.seed}, "
        f"sizes {sizes}, scenarios {names}",
        flush=True,
    )
    for j, name in enumerate(names):
        exact = exact_truth(SCENARIOS[name])
        mc = monte_carlo_truth(SCENARIOS[name], args.truth_units, args.seed + 1 + j)
        print(
            f"{name} truth: rate {exact[0]:.10f} (draw of {args.truth_units:,} units "
            f"{mc[0]:.6f}, SE {mc[2]:.6f}), mean unit rate {exact[1]:.10f} (draw {mc[1]:.6f})",
            flush=True,
        )
    cells = [(name, n) for name in names for n in sizes]
    seeds = np.random.SeedSequence(args.seed).spawn(len(cells))
    rows = []
    for (name, n), seed_seq in zip(cells, seeds, strict=True):
        t0 = time.perf_counter()
        rows += run_cell(name, n, args.samples, args.resamples, seed_seq)
        print(f"{name} n={n}: {time.perf_counter() - t0:.0f} s", flush=True)
    df = pd.DataFrame(rows)
    if out is not None:
        df.to_csv(out, index=False, float_format="%.10g")
        df = pd.read_csv(out)  # the tables come from the file as written
        print(f"wrote {out}")
    summary = summarise(df)
    print(markdown(summary))
    for name in names:
        part = df[df["scenario"] == name]
        print(
            f"{name}: evalkit fell back to the analytic interval in "
            f"{int(part['evalkit_fallback'].sum())} of {len(part)} samples; "
            f"BCa in {int(part['bca_fallback'].sum())}"
        )
    p95 = math.sqrt(0.95 * 0.05 / args.samples)
    print(f"Monte Carlo SE of a coverage near 95 %: {100 * p95:.2f} points")
    print(f"wall time {time.perf_counter() - t_start:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
