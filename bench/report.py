#!/usr/bin/env python3
"""Turn a p11bench CSV into the benchmark table, CSV and chart.

usage: report.py RESULTS.csv OUTDIR "machine description" [COMMAND]

Writes OUTDIR/latest.csv (the rows as measured, plus ratio columns),
OUTDIR/latest.md (a table) and OUTDIR/latest.png (ratios per workload).
"""
import csv
import datetime
import os
import subprocess
import sys


def median(xs):
    xs = sorted(xs)
    n = len(xs)
    return xs[n // 2] if n % 2 else (xs[n // 2 - 1] + xs[n // 2]) / 2


def load(path):
    """Rows by (workload, threads); a module measured several times (the
    OpenSSL ceiling is taken once per repetition) counts by its median."""
    seen = {}
    groups = {}
    spans = {}
    order = []
    with open(path, newline="") as f:
        for r in csv.DictReader(f):
            key = (r["workload"], int(r["threads"]))
            seen.setdefault(key, {}).setdefault(r["module"], []).append(float(r["ops_per_sec"]))
            groups[key] = r["group"]
            if r.get("min_ops") and r.get("max_ops"):
                spans[(key, r["module"])] = (float(r["min_ops"]), float(r["max_ops"]))
            if key not in order:
                order.append(key)
    rows = {}
    for key, mods in seen.items():
        rows[key] = {m: median(v) for m, v in mods.items()}
        rows[key]["group"] = groups[key]
        for m in mods:
            if (key, m) in spans:
                rows[key][m + "_span"] = spans[(key, m)]
    return rows, order


def commit():
    """The source commit measured, when the report runs in a git tree."""
    try:
        here = os.path.dirname(os.path.abspath(__file__))
        out = subprocess.run(["git", "-C", here, "rev-parse", "--short", "HEAD"],
                             capture_output=True, text=True, check=True)
        return out.stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return None


def ratio(a, b):
    return a / b if a and b else None


def fmt(x, digits=2):
    return "" if x is None else f"{x:.{digits}f}"


def main():
    src, outdir, machine = sys.argv[1], sys.argv[2], sys.argv[3]
    command = sys.argv[4] if len(sys.argv) > 4 else "./scripts/bench.sh"
    rows, order = load(src)
    order = [k for k in order if "trustoken" in rows[k] or "softhsm2" in rows[k]]
    os.makedirs(outdir, exist_ok=True)
    table = []
    for k in order:
        r = rows[k]
        tt, sh = r.get("trustoken"), r.get("softhsm2")
        ossl = rows.get((k[0], 1), {}).get("openssl") if k[1] == 1 else None
        one = rows.get((k[0], 1), {}).get("trustoken")
        scale = ratio(tt, one) if k[1] > 1 else None
        table.append((k[0], k[1], tt, sh, ossl, ratio(tt, sh), ratio(tt, ossl), scale,
                      r.get("trustoken_span", (None, None)), r.get("softhsm2_span", (None, None))))

    with open(os.path.join(outdir, "latest.csv"), "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["workload", "threads", "trustoken_ops", "softhsm2_ops", "openssl_ops",
                    "vs_softhsm2", "vs_openssl", "thread_scaling", "trustoken_min",
                    "trustoken_max", "softhsm2_min", "softhsm2_max"])
        for t in table:
            w.writerow([t[0], t[1]] + [fmt(x, 3) for x in t[2:8]] +
                       [fmt(x, 1) for x in t[8] + t[9]])

    stamp = datetime.datetime.utcnow().strftime("%Y-%m-%d %H:%M UTC")
    with open(os.path.join(outdir, "latest.md"), "w") as f:
        at = commit()
        f.write(f"Measured {stamp} on {machine}; `{command}`"
                + (f" at commit {at}" if at else "") + ". Medians of the runs;"
                " the range of the runs is in latest.csv.\n\n")
        f.write("| workload | threads | TrusToken ops/s | SoftHSMv2 ops/s | OpenSSL ops/s |"
                " × SoftHSMv2 | × OpenSSL | × 1 thread |\n")
        f.write("|---|---:|---:|---:|---:|---:|---:|---:|\n")
        for t in table:
            f.write(f"| {t[0]} | {t[1]} | {fmt(t[2], 0)} | {fmt(t[3], 0)} | {fmt(t[4], 0)} |"
                    f" {fmt(t[5])} | {fmt(t[6])} | {fmt(t[7])} |\n")

    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("report: matplotlib missing; no chart", file=sys.stderr)
        return
    # One thread, and only workloads with a ratio (the post-quantum ones
    # have no SoftHSMv2 or OpenSSL 3.0 counterpart: bench_pqc.sh).
    one = [t for t in table if t[1] == 1 and (t[5] or t[6])]
    names = [t[0] for t in one]
    fig, ax = plt.subplots(figsize=(10, 0.32 * len(names) + 1.5))
    ys = range(len(names))
    ax.barh([y - 0.2 for y in ys], [t[5] or 0 for t in one], height=0.4,
            label="TrusToken / SoftHSMv2")
    ax.barh([y + 0.2 for y in ys], [t[6] or 0 for t in one], height=0.4,
            label="TrusToken / raw OpenSSL")
    ax.axvline(1.0, color="black", linewidth=0.8)
    ax.set_xscale("log")
    ax.set_yticks(list(ys))
    ax.set_yticklabels(names)
    ax.invert_yaxis()
    ax.set_xlabel("ratio of operations per second, one thread (log scale)")
    ax.set_title(f"TrusToken benchmark, {stamp}")
    ax.legend(loc="lower right")
    fig.tight_layout()
    fig.savefig(os.path.join(outdir, "latest.png"), dpi=110)


if __name__ == "__main__":
    main()
