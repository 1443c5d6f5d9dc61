#!/usr/bin/env python3
"""The query benchmark of issue 12 ("How fast"): a dashboard-like query set over
1 h, 24 h and 7 d ranges at Grafana's step (range / 1000, at least 15 s; start
and end aligned to the step), as range queries through the Prometheus HTTP API
of metrics-collector, Prometheus 2.42 and VictoriaMetrics, all on the same data
(tests/tools/promql_testdata.py: 7 days at 15 s) in the same run.

Per query and range: the median wall latency of REPS repetitions (servers
interleaved, one request at a time), its ratio to Prometheus's, whether the
answer equals Prometheus's (tests/compliance/promql_compliance.py's rules:
the same series, values within 1e-5); a ratio is only given for an identical
answer. Memory: per query the peak RSS while that query's repetitions ran
(VmHWM reset through /proc/PID/clear_refs before them) above the RSS at the
reset, and per server the largest of those peaks (loading not counted; where
the reset is not allowed, VmHWM covers the whole process life).

Usage: query_bench.py --work DIR --ours BINARY [--reps N] [--ranges 1h,24h,7d]
                      [--hours H] [--jobs N] [--instances N] [--variants N]
                      [--servers ours,prometheus,vm] [--out FILE.md]
                      [--baseline OTHER_BINARY]
--baseline adds a second metrics-collector (an older build, its own store
imported from the same file) interleaved with the others in the same run, so
a change is measured A/B under the same load; the report gives ours ÷ baseline.
--long-days N adds a query over N days (e.g. 30) on a second, smaller
dataset (1 job, 1 instance), ours against Prometheus's raw answer.
The dataset and the loaded Prometheus and VictoriaMetrics stores are kept in
DIR and reused while the generator and its arguments are unchanged and the
data's end (midnight UTC before now minus an hour) is the same day; our store is
imported again on every run (the binary may have changed).
"""

import argparse
import hashlib
import json
import math
import os
import shutil
import statistics
import subprocess
import sys
import time
import urllib.error

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, os.path.join(REPO, "tests", "compliance"))
import promql_compliance as compliance  # noqa: E402
import servers  # noqa: E402

QUERIES = [
    ("rate sum by job", 'sum by (job) (rate(mc_http_requests_total[5m]))'),
    ("rate sum by instance", 'sum by (instance) (rate(mc_cpu_seconds_total{mode!="idle"}[5m]))'),
    ("histogram_quantile sum by le", 'histogram_quantile(0.99, sum by (job, le) (rate(mc_request_duration_seconds_bucket[5m])))'),
    ("histogram_quantile per series", 'histogram_quantile(0.5, rate(mc_request_duration_seconds_bucket[5m]))'),
    ("topk", 'topk(5, sum by (instance, path) (rate(mc_http_requests_total[5m])))'),
    ("error ratio", 'sum by (job) (rate(mc_http_requests_total{code="500"}[5m])) / sum by (job) (rate(mc_http_requests_total[5m]))'),
    ("mean latency", 'sum(rate(mc_request_duration_seconds_sum[5m])) / sum(rate(mc_request_duration_seconds_count[5m]))'),
    ("avg_over_time", 'avg_over_time(mc_temperature_celsius[1h])'),
    ("max_over_time", 'max by (job) (max_over_time(mc_queue_length[15m]))'),
    ("quantile_over_time", 'quantile_over_time(0.95, mc_queue_length[30m])'),
    ("predict_linear", 'predict_linear(mc_temperature_celsius[1h], 3600)'),
    ("increase", 'sum by (job, code) (increase(mc_http_requests_total[1h]))'),
    ("min_over_time", 'min by (job) (min_over_time(mc_temperature_celsius[10m]))'),
    ("gauge sum", 'sum by (job) (mc_queue_length)'),
]
# Downsampled answers (issue 12): over the 7 days at a step of the window's
# length, where the daemon may serve from its 5 m or 1 h tier; each must be
# within 1% of Prometheus's raw answer (exact where windows align).
TIER_QUERIES = [
    'rate(mc_http_requests_total[{w}])',
    'increase(mc_cpu_seconds_total[{w}])',
    'avg_over_time(mc_temperature_celsius[{w}])',
    'min_over_time(mc_temperature_celsius[{w}])',
    'max_over_time(mc_queue_length[{w}])',
]
TIER_WINDOWS = [("1h", 3600), ("6h", 21600)]
RANGES = {"1h": 3600, "24h": 86400, "7d": 7 * 86400}


def log(message):
    print(f"query_bench: {message}", file=sys.stderr, flush=True)


def step_for(seconds):
    return max(15, round(seconds / 1000))


class Shape:
    """A dataset: its folder suffix and the generator's arguments."""

    def __init__(self, suffix, hours, jobs, instances, variants):
        self.suffix, self.hours, self.jobs, self.instances, self.variants = suffix, hours, jobs, instances, variants


def stamp_of(args, end):
    digest = hashlib.sha256()
    with open(os.path.join(REPO, "tests", "tools", "promql_testdata.py"), "rb") as source:
        digest.update(source.read())
    digest.update(json.dumps([args.hours, args.jobs, args.instances, args.variants, end]).encode())  # args: a Shape
    return digest.hexdigest()[:16]


def prepare_dataset(work, args, end, stamp):
    directory = os.path.join(work, "dataset" + args.suffix)
    om = os.path.join(directory, "bench.om")
    meta_path = os.path.join(directory, "bench.json")
    stamp_path = os.path.join(directory, "stamp")
    if os.path.exists(stamp_path) and open(stamp_path, encoding="ascii").read() == stamp:
        with open(meta_path, encoding="utf-8") as meta:
            return om, json.load(meta), False
    shutil.rmtree(directory, ignore_errors=True)
    os.makedirs(directory)
    started = time.monotonic()
    subprocess.run([sys.executable, os.path.join(REPO, "tests", "tools", "promql_testdata.py"), om,
                    "--hours", str(args.hours), "--jobs", str(args.jobs), "--instances", str(args.instances),
                    "--variants", str(args.variants), "--end", str(end)], check=True, stdout=subprocess.DEVNULL,
                   timeout=3600)
    log(f"dataset generated in {time.monotonic() - started:.0f} s")
    with open(stamp_path, "w", encoding="ascii") as out:
        out.write(stamp)
    with open(meta_path, encoding="utf-8") as meta:
        return om, json.load(meta), True


def with_port(args, server):
    """With --port-base, each server started listens on the next port from
    it (a machine shared with runs that must keep their ports); else on a
    free port the kernel picks."""
    if args.port_base:
        server.port = args.port_base + args.ports_given
        args.ports_given += 1
    return server


def metric_sum(url, prefix):
    _, body = servers.http_get(url + "/metrics", timeout=10)
    return sum(float(line.split()[-1]) for line in body.decode().splitlines() if line.startswith(prefix))


def start_prometheus(args, om, stamp, fresh, suffix=""):
    work = os.path.join(args.work, "prometheus" + suffix)
    os.makedirs(work, exist_ok=True)
    server = with_port(args, servers.Prometheus(work))
    marker = os.path.join(work, "compacted")
    if fresh or not os.path.exists(marker) or open(marker, encoding="ascii").read() != stamp:
        if os.path.exists(marker):
            os.unlink(marker)
        seconds = server.load(om)
        log(f"prometheus: promtool wrote the blocks in {seconds:.0f} s")
        server.start()
        # Prometheus compacts promtool's 2 h blocks into larger ones a minute
        # after it starts; the benchmark waits for that, as a long-running
        # Prometheus would have done it long ago.
        started = time.monotonic()
        last, quiet = None, 0
        while time.monotonic() - started < 900:
            triggered = metric_sum(server.url, "prometheus_tsdb_compactions_triggered_total")
            blocks = metric_sum(server.url, "prometheus_tsdb_blocks_loaded")
            done = metric_sum(server.url, "prometheus_tsdb_compactions_total")
            state = (blocks, done)
            quiet = quiet + 1 if state == last else 0
            last = state
            if triggered >= 1 and quiet >= 5:
                break
            time.sleep(2)
        log(f"prometheus: {int(last[0])} blocks after {int(last[1])} compactions, "
            f"settled in {time.monotonic() - started:.0f} s")
        with open(marker, "w", encoding="ascii") as out:
            out.write(stamp)
    else:
        server.start()
    return server


def start_vm(args, om, stamp, fresh):
    work = os.path.join(args.work, "victoria-metrics")
    os.makedirs(work, exist_ok=True)
    server = with_port(args, servers.VictoriaMetrics(work))
    marker = os.path.join(work, "loaded")
    if fresh or not os.path.exists(marker) or open(marker, encoding="ascii").read() != stamp:
        if os.path.exists(marker):
            os.unlink(marker)
        server.start()
        seconds = server.load(om)
        servers.http_get(server.url + "/internal/force_merge", timeout=600)
        started, quiet = time.monotonic(), 0
        while time.monotonic() - started < 900 and quiet < 3:
            active = metric_sum(server.url, "vm_active_merges{") + metric_sum(server.url, "vm_active_force_merges")
            quiet = quiet + 1 if active == 0 else 0
            time.sleep(1)
        log(f"victoria-metrics: imported and flushed in {seconds:.0f} s, merged in "
            f"{time.monotonic() - started:.0f} s")
        with open(marker, "w", encoding="ascii") as out:
            out.write(stamp)
    else:
        server.start(keep=True)
    return server


def cpu_seconds(pid):
    """User + system CPU time of a process so far."""
    with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def wait_until_idle(server, name, limit=600):
    """After a fresh import the daemon makes its 5 m tier from the week of
    raw blocks in its first compaction round, a minute after start (0.6-0.7
    s of CPU in all, measured 2026-12-06); as with Prometheus's compaction,
    the benchmark waits for that round (metrics_collector_compactions_total)
    and then until the daemon is idle (under 5% of a core over 6 s), at
    most `limit` s, so that no measured query meets it."""
    started = time.monotonic()
    while time.monotonic() - started < limit:
        if metric_sum(server.url, "metrics_collector_compactions_total") >= 1:
            break
        time.sleep(3)
    last = cpu_seconds(server.process.pid)
    while time.monotonic() - started < limit:
        time.sleep(6)
        now = cpu_seconds(server.process.pid)
        if now - last < 0.3:
            break
        last = now
    log(f"{name}: compacted and idle after {time.monotonic() - started:.0f} s "
        f"({cpu_seconds(server.process.pid):.1f} s of CPU since start)")


def start_ours(args, om, suffix="", binary=None):
    work = os.path.join(args.work, "metrics-collector" + suffix)
    os.makedirs(work, exist_ok=True)
    server = with_port(args, servers.MetricsCollector(work, binary or args.ours))
    seconds = server.load(om)
    log(f"metrics-collector{suffix}: store import in {seconds:.0f} s")
    server.start()
    return server


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--work", required=True)
    parser.add_argument("--ours", required=True)
    parser.add_argument("--reps", type=int, default=5)
    parser.add_argument("--ranges", default="1h,24h,7d")
    parser.add_argument("--hours", type=float, default=7 * 24 + 1)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--instances", type=int, default=3)
    parser.add_argument("--variants", type=int, default=2)
    parser.add_argument("--servers", default="ours,prometheus,vm")
    parser.add_argument("--timeout", type=float, default=120)
    parser.add_argument("--long-days", type=int, default=0,
                        help="also a query over this many days (e.g. 30) on a smaller dataset, ours against "
                             "Prometheus's raw answer: where the daemon serves it from a downsampled tier")
    parser.add_argument("--baseline", help="another metrics-collector binary measured in the same run (A/B)")
    parser.add_argument("--port-base", type=int, default=0,
                        help="listen on 127.0.0.1:PORT_BASE, +1, ... (one port per server started)")
    parser.add_argument("--out")
    args = parser.parse_args()
    args.ports_given = 0
    wanted = args.servers.split(",")
    if "ours" in wanted and not os.access(args.ours, os.X_OK):
        log(f"{args.ours} is not an executable (build it, pass the build dir, or --servers prometheus,vm)")
        return 2
    if args.baseline and not os.access(args.baseline, os.X_OK):
        log(f"--baseline {args.baseline} is not an executable")
        return 2
    os.makedirs(args.work, exist_ok=True)

    end = (int(time.time()) - 3600) // 86400 * 86400
    shape = Shape("", args.hours, args.jobs, args.instances, args.variants)
    stamp = stamp_of(shape, end)
    om, meta, fresh = prepare_dataset(args.work, shape, end, stamp)
    log(f"data: {meta['series']} series, {meta['samples']} samples, "
        f"{time.strftime('%Y-%m-%dT%H:%MZ', time.gmtime(meta['start']))}..{time.strftime('%Y-%m-%dT%H:%MZ', time.gmtime(meta['end']))}")

    running = {}
    try:
        if "prometheus" in wanted:
            running["prometheus"] = start_prometheus(args, om, stamp, fresh)
        if "vm" in wanted:
            running["victoria-metrics"] = start_vm(args, om, stamp, fresh)
        if "ours" in wanted:
            server = start_ours(args, om)
            probe = compliance.ask(server.url, "instant", "1", {"time": "0"}, 10)
            if probe.get("code") == 404:
                log("metrics-collector has no /api/v1/query yet (HTTP 404): measured without it")
                server.stop()
            else:
                running["metrics-collector"] = server
        if args.baseline:
            running["baseline"] = start_ours(args, om, suffix="-baseline", binary=args.baseline)
        names = [n for n in ("metrics-collector", "baseline", "prometheus", "victoria-metrics") if n in running]
        for name in ("metrics-collector", "baseline"):
            if name in running:
                wait_until_idle(running[name], name)
        # Peak RSS over the queries only, not over loading (VictoriaMetrics
        # imports, Prometheus compacts): HWM reset now, kept as the max of
        # each query's HWM (each query resets it again).
        at_start = {name: running[name].rss_kib()[0] for name in names}
        rows = measure(args, meta, running, names)
        peaks = {name: max([at_start[name]] + [row["servers"][name]["peak_kib"] for row in rows]) for name in names}
        tiers = []
        if "prometheus" in running and "metrics-collector" in running:
            tiers = tier_check(args, meta, running, ["metrics-collector"])
    finally:
        for server in running.values():
            server.stop()
    long_rows = long_range(args, end) if args.long_days > 0 and "ours" in wanted else []
    report(args, meta, rows, names, peaks, tiers, long_rows)
    return 0


LONG_QUERIES = [
    'sum by (job) (rate(mc_http_requests_total[1h]))',
    'sum by (job) (increase(mc_http_requests_total[1h]))',
    'avg_over_time(mc_temperature_celsius[1h])',
    'max by (job) (max_over_time(mc_queue_length[1h]))',
]


def long_range(args, end):
    """A query over args.long_days on a smaller dataset (1 job, 1 instance),
    ours against Prometheus's raw answer: latency, agreement, the tier said."""
    shape = Shape("-long", args.long_days * 24 + 1, 1, 1, 1)
    stamp = stamp_of(shape, end)
    om, meta, fresh = prepare_dataset(args.work, shape, end, stamp)
    log(f"long-range data: {meta['series']} series, {meta['samples']} samples")
    running, rows = {}, []
    try:
        running["prometheus"] = start_prometheus(args, om, stamp, fresh, suffix="-long")
        ours = start_ours(args, om, suffix="-long")
        running["metrics-collector"] = ours
        if compliance.ask(ours.url, "instant", "1", {"time": "0"}, 10).get("code") == 404:
            log("metrics-collector has no /api/v1/query yet: no long-range query")
            return []
        seconds = args.long_days * 86400
        for step in sorted({step_for(seconds), 3600}):
            last = math.floor(meta["end"] / step) * step
            params = {"start": last - seconds, "end": last, "step": str(step)}
            for query in LONG_QUERIES:
                answers, latencies = {}, {"prometheus": [], "metrics-collector": []}
                for _ in range(args.reps):
                    for name in latencies:
                        if name in answers and answers[name].get("code") == 0:
                            continue
                        answer = compliance.ask(running[name].url, "range", query, params, args.timeout)
                        latencies[name].append(answer["seconds"])
                        answers.setdefault(name, answer)
                reference, tested = answers["prometheus"], answers["metrics-collector"]
                rows.append({
                    "query": query, "step": step,
                    "prometheus_ms": statistics.median(latencies["prometheus"]) * 1000,
                    "ours_ms": statistics.median(latencies["metrics-collector"]) * 1000,
                    "exact": compliance.differ(query, reference, tested) is None,
                    "within_1pct": compliance.differ(query, reference, tested, relative=0.01),
                    "warnings": tested.get("warnings") or [],
                    "ours_ok": tested.get("status") == "success",
                })
                log(f"long {query} step {step}: prometheus {rows[-1]['prometheus_ms']:.1f} ms, "
                    f"ours {rows[-1]['ours_ms']:.1f} ms")
    finally:
        for server in running.values():
            server.stop()
    return rows


def tier_check(args, meta, running, tested_names):
    rows = []
    for window, seconds in TIER_WINDOWS:
        end = math.floor(meta["end"] / seconds) * seconds
        params = {"start": end - 7 * 86400 + seconds, "end": end, "step": str(seconds)}
        for template in TIER_QUERIES:
            query = template.format(w=window)
            reference = compliance.ask(running["prometheus"].url, "range", query, params, args.timeout)
            row = {"query": query, "step": seconds, "prometheus_ms": reference["seconds"] * 1000, "servers": {}}
            for name in tested_names:
                answer = compliance.ask(running[name].url, "range", query, params, args.timeout)
                row["servers"][name] = {
                    "exact": compliance.differ(query, reference, answer) is None,
                    "within_1pct": compliance.differ(query, reference, answer, relative=0.01),
                    "warnings": answer.get("warnings") or [],
                    "ms": answer["seconds"] * 1000,
                }
            rows.append(row)
    return rows


def measure(args, meta, running, names):
    rows = []
    end_data = meta["end"]
    # Grafana's "Save & test" asks `1+1` before any panel does; asked here too,
    # untimed. Without it the first timed request of the run carried this
    # client's own first-call cost (urllib's, ~2.4 ms: 2.8 against 0.4 on a
    # daemon already warm) and each server's start-up (~0.5 ms of ours), and
    # the server asked first (ours) took both. Each query's own data stays
    # cold for its first repetition.
    for name in names:
        compliance.ask(running[name].url, "instant", "1+1", {"time": str(end_data)}, args.timeout)
    for range_name in args.ranges.split(","):
        seconds = RANGES[range_name]
        step = step_for(seconds)
        end = math.floor(end_data / step) * step
        params = {"start": end - seconds, "end": end, "step": str(step)}
        for label, query in QUERIES:
            row = {"range": range_name, "step": step, "label": label, "query": query, "servers": {}}
            answers, latencies, memory = {}, {name: [] for name in names}, {}
            before = {}
            for name in names:
                # After the reset VmHWM is the RSS of the moment: the baseline.
                before[name] = running[name].rss_kib()[1] if running[name].reset_peak_rss() else None
            for _ in range(args.reps):
                for name in names:
                    if name in answers and answers[name].get("code") == 0:
                        continue  # timed out or refused: not asked again
                    answer = compliance.ask(running[name].url, "range", query, params, args.timeout)
                    latencies[name].append(answer["seconds"])
                    answers.setdefault(name, answer)
            peaks = {}
            for name in names:
                peaks[name] = running[name].rss_kib()[1]
                memory[name] = (peaks[name] - before[name]) if before[name] is not None else None
            reference = answers.get("prometheus")
            for name in names:
                answer = answers[name]
                ok = answer.get("status") == "success"
                same = None
                if reference is not None and name != "prometheus":
                    same = compliance.differ(query, reference, answer)
                row["servers"][name] = {
                    "median_ms": statistics.median(latencies[name]) * 1000,
                    "ok": ok,
                    "differs": same,
                    "rss_growth_kib": memory[name],
                    "peak_kib": peaks[name],
                    "series": len((answer.get("data") or {}).get("result") or []),
                    "error": None if ok else str(answer.get("error"))[:200],
                }
            rows.append(row)
            log(f"{range_name} {label}: " + ", ".join(
                f"{name} {row['servers'][name]['median_ms']:.1f} ms" for name in names))
    return rows


def ratio_of(row, name, other):
    """name's median ÷ other's where both answered as Prometheus does (Prometheus
    itself always counts as identical), else None."""
    cells = row["servers"]
    if name not in cells or other not in cells:
        return None
    for server in (name, other):
        cell = cells[server]
        if not cell["ok"] or (server != "prometheus" and cell["differs"] is not None):
            return None
    if cells[other]["median_ms"] <= 0:
        return None
    return cells[name]["median_ms"] / cells[other]["median_ms"]


def range_summary(rows, names):
    """Per range and over all: the median ratio of metrics-collector to each
    other server, over the queries both answered identically."""
    if "metrics-collector" not in names:
        return []
    others = [name for name in names if name != "metrics-collector"]
    lines = ["", "| range (step) | " + " | ".join(f"ours ÷ {name}, median (n)" for name in others) + " |",
             "|---|" + "---|" * len(others)]
    ranges = []
    for row in rows:
        if (row["range"], row["step"]) not in ranges:
            ranges.append((row["range"], row["step"]))
    for label, subset in [(f"{r} ({s} s)", [row for row in rows if row["range"] == r]) for r, s in ranges] + \
            [("all", rows)]:
        cells = []
        for other in others:
            values = [v for v in (ratio_of(row, "metrics-collector", other) for row in subset) if v is not None]
            cells.append(f"{statistics.median(values):.2f} ({len(values)})" if values else "-")
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    lines.append("")
    return lines


def report(args, meta, rows, names, peaks, tiers, long_rows):
    lines = []
    lines.append(f"## Query latency, {time.strftime('%Y-%m-%dT%H:%MZ', time.gmtime())}, {os.cpu_count()} cores, "
                 f"load {os.getloadavg()[0]:.1f}")
    lines.append("")
    lines.append(f"Data: {meta['series']} series, {meta['samples']:,} samples at 15 s, "
                 f"{(meta['end'] - meta['start']) / 86400:.1f} days. Median of {args.reps} repetitions, "
                 "wall time of the HTTP request on 127.0.0.1. Ratio = server ÷ Prometheus, given only where the "
                 "answer equals Prometheus's. Memory: peak RSS during the query's repetitions above the RSS before "
                 "them (MiB).")
    lines.append("")
    header = "| range (step) | query |"
    rule = "|---|---|"
    for name in names:
        header += f" {name} ms |"
        rule += "---|"
        if name != "prometheus":
            header += f" {name} ÷ Prometheus |"
            rule += "---|"
    header += " peak RSS growth MiB (" + ", ".join(names) + ") |"
    rule += "---|"
    lines += [header, rule]
    ratios = {name: [] for name in names if name != "prometheus"}
    notes = []
    for row in rows:
        line = f"| {row['range']} ({row['step']} s) | {row['label']} |"
        for name in names:
            cell = row["servers"][name]
            line += f" {cell['median_ms']:.1f} |" if cell["ok"] else " error |"
            if name != "prometheus":
                prometheus = row["servers"].get("prometheus")
                if prometheus and cell["ok"] and cell["differs"] is None and prometheus["median_ms"] > 0:
                    ratio = cell["median_ms"] / prometheus["median_ms"]
                    ratios[name].append(ratio)
                    line += f" {ratio:.2f} |"
                else:
                    line += " differs |" if cell["differs"] else " - |"
                    if cell["differs"]:
                        notes.append(f"- {row['range']} {row['label']}: {name} differs from Prometheus: "
                                     f"{cell['differs'][:200]}")
                    if not cell["ok"]:
                        notes.append(f"- {row['range']} {row['label']}: {name}: {cell['error']}")
        growth = []
        for name in names:
            kib = row["servers"][name]["rss_growth_kib"]
            growth.append("-" if kib is None else f"{kib / 1024:.1f}")
        line += " " + " / ".join(growth) + " |"
        lines.append(line)
    lines.append("")
    for name, values in ratios.items():
        if values:
            lines.append(f"- {name} ÷ Prometheus over the {len(values)} identical answers: median "
                         f"{statistics.median(values):.2f}, min {min(values):.2f}, max {max(values):.2f}")
        else:
            lines.append(f"- {name}: no answer identical to Prometheus's")
    lines += range_summary(rows, names)
    lines.append("- peak RSS while the queries ran (VmHWM, MiB; loading not counted): " + ", ".join(
        f"{name} {peaks[name] / 1024:.0f}" for name in names))
    if tiers:
        lines.append("")
        lines.append("Downsampled answers: the last 7 days at step = window, each server against Prometheus's raw "
                     "answer (one request each, ms).")
        lines.append("")
        lines.append("| query | step | Prometheus ms | server | ms | within 1e-5 | within 1% | warnings |")
        lines.append("|---|---|---|---|---|---|---|---|")
        for row in tiers:
            for name, cell in row["servers"].items():
                within = "yes" if cell["within_1pct"] is None else "NO: " + cell["within_1pct"][:120]
                lines.append(f"| `{row['query']}` | {row['step']} s | {row['prometheus_ms']:.1f} | {name} | "
                             f"{cell['ms']:.1f} | {'yes' if cell['exact'] else 'no'} | {within} | "
                             f"{'; '.join(cell['warnings'])[:120]} |")
    if long_rows:
        lines.append("")
        lines.append(f"Over {args.long_days} days (1 job, 1 instance), metrics-collector against Prometheus's raw "
                     f"answer; median of {args.reps}:")
        lines.append("")
        lines.append("| query | step | Prometheus ms | metrics-collector ms | ratio | within 1e-5 | within 1% | warnings |")
        lines.append("|---|---|---|---|---|---|---|---|")
        for row in long_rows:
            within = "yes" if row["within_1pct"] is None else "NO: " + row["within_1pct"][:100]
            ratio = f"{row['ours_ms'] / row['prometheus_ms']:.2f}" if row["ours_ok"] else "error"
            lines.append(f"| `{row['query']}` | {row['step']} s | {row['prometheus_ms']:.1f} | {row['ours_ms']:.1f} | "
                         f"{ratio} | {'yes' if row['exact'] else 'no'} | {within} | {'; '.join(row['warnings'])[:120]} |")
    lines.append("")
    lines.append("Queries:")
    for label, query in QUERIES:
        lines.append(f"- {label}: `{query}`")
    if notes:
        lines.append("")
        lines.append("Differences and errors:")
        lines += notes
    text = "\n".join(lines) + "\n"
    print(text)
    out = args.out or os.path.join(args.work, "last-run.md")
    with open(out, "w", encoding="utf-8") as sink:
        sink.write(text)
    with open(os.path.splitext(out)[0] + ".json", "w", encoding="utf-8") as sink:
        json.dump(rows, sink, indent=1)
    log(f"report in {out}")


if __name__ == "__main__":
    sys.exit(main())
