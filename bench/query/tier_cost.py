#!/usr/bin/env python3
"""The cost of a 30-day query served from the 5 m tier against the same query
over raw data (issue 12, "How fast"), on one daemon and one store: the same
range query asked with max_source_resolution=raw and =5m, interleaved, REPS
times each; per query the median wall latency of each, and the largest
relative difference between the two answers (|a - b| / max(|a|, |b|) over the
points both have, the series matched by labels).

The store: `metrics-collector store import` of an OpenMetrics file (e.g.
tests/tools/promql_testdata.py --hours 721 --jobs 1 --instances 1
--variants 1, what query_bench.py --long-days 30 generates), then the daemon
started with every tier kept 3650 d (tests/compliance/servers.py), which
downsamples the imported raw blocks to 5 m and 1 h after it starts; the script
waits (bounded) until a query names the 5m tier in its warnings, then
--settle seconds more (the daemon may still be downsampling).

After the table: the 5m tier's size on disk (data + index bytes of its
blocks, from their meta.json), since what a window keeps decides both the
answers and the bytes.

--step: the query step in seconds (default 3600: ranges on window
boundaries). A step that is no multiple of 300 s (e.g. 2592, Grafana's 30
days / 1,000) puts ranges inside windows, where max_source_resolution=5m
interpolates (common/store/tiering/window_cuts.hpp) and auto reads raw data.

Besides the largest relative difference, per query: the 99th percentile and
the median of the points' relative differences, how many exceed 1%, and the
largest difference relative to the series' own largest |value| (a gauge
near zero makes any relative difference large).

--port: the daemon's port (default: a free one); give each run its own
when the machine is shared.

Usage: tier_cost.py --ours BINARY --om FILE --work DIR [--days 30] [--reps 5] [--settle 90]
                    [--step 3600] [--port N]
"""

import argparse
import json
import math
import os
import statistics
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, os.path.join(REPO, "tests", "compliance"))
import promql_compliance as compliance  # noqa: E402
import servers  # noqa: E402

QUERIES = [
    'rate(mc_http_requests_total[1h])',
    'increase(mc_http_requests_total[1h])',
    'avg_over_time(mc_temperature_celsius[1h])',
    'min_over_time(mc_temperature_celsius[1h])',
    'max_over_time(mc_temperature_celsius[1h])',
]
RESOLUTIONS = ["raw", "5m"]


def log(message):
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def served_by_5m(answer):
    return any("5m tier" in warning for warning in answer.get("warnings") or [])


def wait_for_tier(url, params, timeout_s):
    """Until the 5m tier serves the first query (the daemon downsamples after it starts)."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        answer = compliance.ask(url, "range", QUERIES[0], dict(params, max_source_resolution="5m"), 60)
        if answer.get("status") == "success" and served_by_5m(answer):
            return True
        time.sleep(5)
    return False


def tier_bytes(store_dir, tier):
    """Data + index bytes of the tier's blocks, and how many blocks."""
    total, blocks = 0, 0
    blocks_dir = os.path.join(store_dir, "blocks")
    for name in sorted(os.listdir(blocks_dir)) if os.path.isdir(blocks_dir) else []:
        if not name.startswith(tier + "-"):
            continue
        with open(os.path.join(blocks_dir, name, "meta.json"), encoding="utf-8") as meta_file:
            meta = json.load(meta_file)
        total += meta["data_bytes"] + meta["index_bytes"]
        blocks += 1
    return total, blocks


def points_by_series(answer):
    series = {}
    for row in (answer.get("data") or {}).get("result") or []:
        key = json.dumps(row["metric"], sort_keys=True)
        series[key] = {float(t): float(v) for t, v in row["values"]}
    return series


def max_relative_difference(raw, tiered):
    """The largest |a - b| / max(|a|, |b|) over the points both answers have,
    where it is, how many points each has that the other lacks, every
    point's relative difference (sorted), and the largest |a - b| over the
    largest |a| of its series in the raw answer."""
    worst, where, compared, only_one = 0.0, None, 0, 0
    differences, worst_of_scale = [], 0.0
    a, b = points_by_series(raw), points_by_series(tiered)
    for key in set(a) | set(b):
        pa, pb = a.get(key, {}), b.get(key, {})
        only_one += len(set(pa) ^ set(pb))
        series_scale = max((abs(v) for v in pa.values() if not math.isnan(v)), default=0.0)
        for t in set(pa) & set(pb):
            x, y = pa[t], pb[t]
            compared += 1
            if math.isnan(x) or math.isnan(y):
                if math.isnan(x) != math.isnan(y):
                    worst, where = math.inf, (key, t, x, y)
                    differences.append(math.inf)
                continue
            scale = max(abs(x), abs(y))
            difference = 0.0 if scale == 0 else abs(x - y) / scale
            differences.append(difference)
            if series_scale > 0:
                worst_of_scale = max(worst_of_scale, abs(x - y) / series_scale)
            if difference > worst:
                worst, where = difference, (key, t, x, y)
    differences.sort()
    return worst, where, compared, only_one, differences, worst_of_scale


def quantile(sorted_values, q):
    if not sorted_values:
        return 0.0
    return sorted_values[min(len(sorted_values) - 1, int(q * len(sorted_values)))]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--ours", required=True)
    parser.add_argument("--om", required=True, help="the OpenMetrics file to import")
    parser.add_argument("--work", required=True)
    parser.add_argument("--days", type=int, default=30)
    parser.add_argument("--reps", type=int, default=5)
    parser.add_argument("--timeout", type=float, default=120)
    parser.add_argument("--tier-wait", type=float, default=900, help="seconds to wait for the 5m tier")
    parser.add_argument("--settle", type=float, default=90,
                        help="seconds to wait after the 5m tier first serves, before measuring")
    parser.add_argument("--step", type=int, default=3600, help="query step, seconds")
    parser.add_argument("--port", type=int, default=0, help="the daemon's port (0: a free one)")
    args = parser.parse_args()
    step = args.step

    with open(args.om, "rb") as data:  # the newest timestamp: the last sample line's
        data.seek(max(0, os.path.getsize(args.om) - 65536))
        lines = [line for line in data.read().decode("utf-8", "replace").splitlines()
                 if line and not line.startswith("#")]
    data_end = float(lines[-1].split()[-1])
    end = math.floor(data_end / step) * step
    params = {"start": end - args.days * 86400, "end": end, "step": str(step)}

    os.makedirs(args.work, exist_ok=True)
    server = servers.MetricsCollector(args.work, args.ours)
    if args.port:
        server.port = args.port
    log(f"store import in {server.load(args.om):.0f} s")
    server.start()
    try:
        started = time.monotonic()
        if not wait_for_tier(server.url, params, args.tier_wait):
            log("the 5m tier did not serve in time")
            return 1
        log(f"5m tier serving after {time.monotonic() - started:.0f} s")
        # The daemon may still be downsampling (more 5m blocks, the 1h tier).
        time.sleep(args.settle)
        lines = [f"{args.days} days at a {step} s step, {params['start']}..{params['end']}, "
                 f"median of {args.reps} (raw and 5m interleaved):", "",
                 "| query | raw ms | 5m ms | raw ÷ 5m | points | max relative difference (at) "
                 "| p99 | median | > 1% | max of series' scale |",
                 "|---|---|---|---|---|---|---|---|---|---|"]
        for query in QUERIES:
            latencies = {resolution: [] for resolution in RESOLUTIONS}
            answers = {}
            for _ in range(args.reps):
                for resolution in RESOLUTIONS:
                    answer = compliance.ask(server.url, "range", query,
                                            dict(params, max_source_resolution=resolution), args.timeout)
                    if answer.get("status") != "success":
                        log(f"{query} {resolution}: {answer.get('error')}")
                        return 1
                    latencies[resolution].append(answer["seconds"] * 1000)
                    answers.setdefault(resolution, answer)
            if served_by_5m(answers["raw"]) or not served_by_5m(answers["5m"]):
                log(f"{query}: raw warned {answers['raw'].get('warnings')}, 5m {answers['5m'].get('warnings')}")
                return 1
            worst, where, compared, only_one, differences, of_scale = max_relative_difference(
                answers["raw"], answers["5m"])
            raw_ms, tier_ms = statistics.median(latencies["raw"]), statistics.median(latencies["5m"])
            at = f"{where[1]:.0f}: raw {where[2]:.6g}, 5m {where[3]:.6g}" if where else "-"
            over = sum(1 for d in differences if d > 0.01)
            lines.append(f"| `{query}` | {raw_ms:.1f} | {tier_ms:.1f} | {raw_ms / tier_ms:.1f}× | "
                         f"{compared} (+{only_one} in one only) | {worst * 100:.3g}% ({at}) | "
                         f"{quantile(differences, 0.99) * 100:.3g}% | "
                         f"{quantile(differences, 0.5) * 100:.3g}% | {over} | {of_scale * 100:.3g}% |")
            log(f"{query}: raw {latencies['raw']}, 5m {latencies['5m']}")
        size, blocks = tier_bytes(server.data, "5m")
        lines += ["", f"5m tier: {size:,} bytes in {blocks} blocks (data + index, meta.json)"]
        print("\n".join(lines))
    finally:
        server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
