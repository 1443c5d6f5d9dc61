#!/usr/bin/env python3
"""The soak's verdict (bench/soak/soak.sh runs it; README.md says what is checked).

Reads the samples the soak took every few seconds (samples.csv), asks
Prometheus (still running, its TSDB holding what it scraped from the daemon's
/metrics) for raw samples, and replays the farm's values with farm_replay to
know which value each target served at each request. Prints a summary, writes
per-target and per-series details, exits 1 when a check fails.
"""

import argparse
import csv
import json
import math
import random
import subprocess
import sys
import urllib.parse
import urllib.request

REPORT_SERIES_PER_SCRAPE = 5  # up, scrape_duration_seconds, ...


def parse_args():
    parser = argparse.ArgumentParser()
    parser.add_argument("--samples", required=True)
    parser.add_argument("--prometheus", required=True)
    parser.add_argument("--start-ms", type=int, required=True)
    parser.add_argument("--end-ms", type=int, required=True)
    parser.add_argument("--interval-ms", type=int, required=True)
    parser.add_argument("--targets", type=int, required=True)
    parser.add_argument("--series", type=int, required=True)
    parser.add_argument("--base-port", type=int, required=True)
    parser.add_argument("--farm-requests", type=int, required=True)
    parser.add_argument("--replay", required=True)
    parser.add_argument("--page", required=True)
    parser.add_argument("--farm-seed", type=int, default=1)
    parser.add_argument("--checked-series", type=int, default=20)
    parser.add_argument("--check-seed", type=int, default=1)
    parser.add_argument("--max-missed", type=int, default=0)
    # Missed scrapes are counted from here on: the first scrapes create every series.
    parser.add_argument("--warmup-s", type=float, default=60)
    # Unset: reported only (Prometheus samples a newest-value endpoint, see README.md).
    parser.add_argument("--max-prom-gap-fraction", type=float, default=None)
    parser.add_argument("--max-rss-bytes-per-sample", type=float, default=4.0)
    parser.add_argument("--prom-interval-ms", type=int, default=None)  # default: --interval-ms
    parser.add_argument("--details", required=True)
    return parser.parse_args()


def read_samples(path):
    rows = []
    with open(path) as file:
        for row in csv.DictReader(file):
            # NA: an endpoint did not answer within its time limit.
            rows.append({key: None if value == "NA" else float(value) for key, value in row.items()})
    return rows


def prom_query(base, query, time_s):
    url = base + "/api/v1/query?" + urllib.parse.urlencode({"query": query, "time": f"{time_s:.3f}"})
    with urllib.request.urlopen(url, timeout=300) as response:
        body = json.load(response)
    if body.get("status") != "success":
        raise RuntimeError(f"query {query!r}: {body}")
    return body["data"]["result"]


def raw_samples(result_entry):
    """[(timestamp_ms, value as float)] of a range-vector result, oldest first."""
    return [(round(float(ts) * 1000), float(value)) for ts, value in result_entry["values"]]


def replay(args, targets, columns, requests):
    """{target: {request: [values of columns]}} as the farm served them."""
    command = [args.replay, f"--page={args.page}", f"--series={args.series}",
               f"--seed={args.farm_seed}", "--targets=" + ",".join(map(str, targets)),
               f"--requests={requests}", "--columns=" + ",".join(map(str, columns))]
    output = subprocess.run(command, check=True, capture_output=True, text=True, timeout=900).stdout
    served = {}
    for line in output.splitlines():
        words = line.split()
        served.setdefault(int(words[0]), {})[int(words[1])] = [float(w) for w in words[2:]]
    return served


def layout(args):
    command = [args.replay, f"--page={args.page}", f"--series={args.series}", "--layout"]
    output = subprocess.run(command, check=True, capture_output=True, text=True, timeout=60).stdout
    entries = []
    for line in output.splitlines():
        index, kind, text = line.split(" ", 2)
        entries.append((int(index), kind, text))
    return entries


def percentile(values, fraction):
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(math.ceil(fraction * len(ordered))) - 1)]


def slope_per_minute(rows, key):
    """Least-squares slope of rows[key] against elapsed minutes."""
    xs = [row["elapsed_s"] / 60 for row in rows]
    ys = [row[key] for row in rows]
    if len(xs) < 2:
        return float("nan")
    mean_x, mean_y = sum(xs) / len(xs), sum(ys) / len(ys)
    denominator = sum((x - mean_x) ** 2 for x in xs)
    return sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys)) / denominator if denominator else 0.0


def selector(series_text, instance):
    """PromQL selector for exactly one farm series as the daemon re-exposes it."""
    name, _, labels = series_text.partition("{")
    labels = labels[:-1] if labels else ""
    matchers = [labels] if labels else []
    matchers += [f'job="farm"', f'instance="{instance}"']
    if "farm_copy=" not in labels:
        matchers.append('farm_copy=""')  # else copies of the same series match too
    return name + "{" + ",".join(matchers) + "}"


def series_key(series_text):
    """"name{a="b",...}" (text format, escapes kept) -> (name, sorted label pairs)."""
    name, _, rest = series_text.partition("{")
    labels = []
    position = 0
    while position < len(rest) and rest[position] != "}":
        equals = rest.index("=", position)
        label = rest[position:equals].strip(", ")
        value = []
        position = equals + 2  # past '="'
        while rest[position] != '"':
            if rest[position] == "\\":
                position += 1
                value.append({"n": "\n"}.get(rest[position], rest[position]))
            else:
                value.append(rest[position])
            position += 1
        labels.append((label, "".join(value)))
        position += 1
        if position < len(rest) and rest[position] == ",":
            position += 1
    return name, tuple(sorted(pair for pair in labels if pair[1]))  # empty means absent


def prometheus_counters(args):
    """Prints Prometheus's own scrape counters (its self-scrape job) at the end of the run."""
    try:
        counters = prom_query(args.prometheus, 'sum by (__name__) ({__name__=~"prometheus_target_scrapes_.*"})',
                              args.end_ms / 1000 + 10)
        intervals = prom_query(args.prometheus,
                               'prometheus_target_interval_length_seconds{job="prometheus",'
                               f'interval="{(args.prom_interval_ms or args.interval_ms) / 1000:g}s"}}',
                               args.end_ms / 1000 + 10)
    except (OSError, RuntimeError) as error:
        print(f"  Prometheus's own counters not readable: {error}")
        return
    if not counters:
        print("  Prometheus's own counters: none stored (its self-scrape did not run)")
        return
    print("  Prometheus's own counters (all its targets): " +
          ", ".join(f"{e['metric']['__name__'].removeprefix('prometheus_target_scrapes_')} "
                    f"{float(e['value'][1]):.0f}" for e in sorted(counters, key=lambda e: e['metric']['__name__'])))
    if intervals:
        print("  its actual scrape intervals (prometheus_target_interval_length_seconds): " +
              ", ".join(f"q{e['metric'].get('quantile')} {float(e['value'][1]):.3f} s"
                        for e in sorted(intervals, key=lambda e: float(e['metric'].get('quantile', 0)))))


def main():
    args = parse_args()
    interval_s = args.interval_ms / 1000
    checks = []  # (name, passed, figure)
    details = []

    def check(name, passed, figure):
        checks.append((name, passed, figure))

    # --- what the daemon and the farm counted --------------------------------
    all_rows = read_samples(args.samples)
    # /proc figures are always there; the meta-metrics only when /metrics/self answered in time.
    rows = [row for row in all_rows if row["mc_rss_bytes"] is not None and row["mc_cpu_s"] is not None]
    meta_rows_all = [row for row in rows if row["scrapes"] is not None and row["farm_requests"] is not None]
    meta_rows = [row for row in meta_rows_all if row["elapsed_s"] >= args.warmup_s]
    if len(rows) < 2:
        print("too few samples in", args.samples)
        return 2
    first, last = rows[0], rows[-1]
    elapsed = (last["unix_ms"] - first["unix_ms"]) / 1000
    d = {key: last[key] - first[key] for key in ("mc_cpu_s", "prometheus_cpu_s", "farm_cpu_s")}
    print(f"soak: {args.targets} targets x {args.series} series every {interval_s:g} s, "
          f"{elapsed:.0f} s measured (samples every ~{elapsed / (len(rows) - 1):.0f} s)")
    print()
    print("1. missed scrapes")
    if len(meta_rows_all) < len(rows):
        print(f"  /metrics/self answered within 8 s in {len(meta_rows_all)} of {len(rows)} samples")
    warm = [row for row in meta_rows_all if row["elapsed_s"] < args.warmup_s]
    if len(warm) >= 1 and meta_rows:
        print(f"  warm-up (first {args.warmup_s:.0f} s, series creation, not counted below): skipped "
              f"{meta_rows[0]['scrapes_skipped'] - warm[0]['scrapes_skipped']:.0f}, failed "
              f"{meta_rows[0]['scrape_failures'] - warm[0]['scrape_failures']:.0f}")
    if len(meta_rows) >= 2:
        meta_first, meta_last = meta_rows[0], meta_rows[-1]
        meta_elapsed = (meta_last["unix_ms"] - meta_first["unix_ms"]) / 1000
        d.update({key: meta_last[key] - meta_first[key] for key in meta_first
                  if key not in d and meta_first[key] is not None and meta_last[key] is not None})
        expected_scrapes = args.targets * meta_elapsed / interval_s
        print(f"  daemon meta-metrics over {meta_elapsed:.0f} s: scrapes {d['scrapes']:.0f} of "
              f"{expected_scrapes:.0f} due ({d['scrapes'] / expected_scrapes:.4f}), skipped (overrun) "
              f"{d['scrapes_skipped']:.0f}, failed {d['scrape_failures']:.0f}; farm answered "
              f"{d['farm_requests']:.0f} /metrics requests")
        if d.get("scrape_duration_count", 0) > 0:
            print(f"  mean scrape duration {1000 * d['scrape_duration_sum'] / d['scrape_duration_count']:.1f} ms "
                  "(metrics_collector_scrape_duration_seconds)")
        if "samples_appended" in d and d["farm_samples"] > 0:
            samples_check = (d["samples_appended"] - REPORT_SERIES_PER_SCRAPE * d["scrapes"]) / d["farm_samples"]
            print(f"  samples appended (less 5 report series per scrape) / samples the farm served: "
                  f"{samples_check:.5f}")
    check("meta-metrics readable through the run",
          len(meta_rows) >= 2 and meta_rows[-1]["elapsed_s"] >= 0.8 * last["elapsed_s"],
          f"/metrics/self answered {len(meta_rows)} of {len(rows)} samples, the last at "
          f"{meta_rows[-1]['elapsed_s'] if meta_rows else float('nan'):.0f} s")
    # Independent of /metrics/self and of Prometheus: every /metrics request the
    # farm answered, from the daemon's start to the end (the first round of
    # scrapes comes before the soak's clock starts: at most one per target).
    due = args.targets * (args.end_ms - args.start_ms) / args.interval_ms
    print(f"  the farm answered {args.farm_requests} /metrics requests in all; {due:.0f} were due in the "
          f"{(args.end_ms - args.start_ms) / 1000:.0f} s after the daemon's first scrape "
          f"({args.farm_requests / due:.4f})")
    farm_rows = [row for row in rows if row["farm_requests"] is not None and row["elapsed_s"] >= args.warmup_s]
    if len(farm_rows) >= 2:
        answered = farm_rows[-1]["farm_requests"] - farm_rows[0]["farm_requests"]
        due_after = args.targets * (farm_rows[-1]["unix_ms"] - farm_rows[0]["unix_ms"]) / args.interval_ms
        print(f"  after the warm-up: {answered:.0f} answered of {due_after:.0f} due ({answered / due_after:.4f})")
        check("farm requests after the warm-up = scrapes due (within one per target)",
              answered >= due_after - args.targets, f"{answered:.0f} answered, {due_after:.0f} due")
    if len(meta_rows) >= 2:
        check("no scrape skipped or failed (meta-metrics)",
              d["scrapes_skipped"] == 0 and d["scrape_failures"] == 0,
              f"skipped {d['scrapes_skipped']:.0f}, failed {d['scrape_failures']:.0f}")
        # Scrapes in flight at either edge: at most one per target.
        check("daemon scrapes = farm requests (within one per target)",
              abs(d["scrapes"] - d["farm_requests"]) <= args.targets,
              f"{d['scrapes']:.0f} vs {d['farm_requests']:.0f}")

    # Per target, from what Prometheus stored: the farm's request number of
    # every stored sample (an integer counter of the page is a clock: its
    # value at request n is unique) against the daemon's scrape timestamp.
    page_layout = layout(args)
    clock_index, _, clock_name = next(e for e in page_layout if e[1] == "counter_integer" and "{" not in e[2])
    window_s = (args.end_ms - args.start_ms) / 1000 + 60
    query_time = args.end_ms / 1000 + 3 * interval_s
    requests_replayed = args.farm_requests // args.targets + 60
    clock_served = replay(args, range(args.targets), [clock_index], requests_replayed)
    clock_results = prom_query(args.prometheus, f'{clock_name}{{job="farm"}}[{window_s:.0f}s]', query_time)
    clock_by_instance = {entry["metric"].get("instance"): raw_samples(entry) for entry in clock_results}
    request_at = {}  # target -> {timestamp_ms: request number}
    total_missed = 0
    targets_missing = []
    unknown_values = 0
    order_errors = 0
    not_seen = 0
    lateness_ms = []
    details.append(f"per target (clock series {clock_name}): target requests_due requests_made missed "
                   "samples_in_prometheus not_in_prometheus max_lateness_ms")
    for target in range(args.targets):
        instance = f"127.0.0.1:{args.base_port + target}"
        samples = clock_by_instance.get(instance)
        if not samples:
            targets_missing.append(target)
            continue
        value_to_request = {values[0]: request for request, values in clock_served[target].items()}
        known = []
        for ts, value in samples:
            request = value_to_request.get(value)
            if request is None:
                unknown_values += 1
            else:
                known.append((ts, request))
        request_at[target] = dict(known)
        order_errors += sum(1 for a, b in zip(known, known[1:]) if b[1] <= a[1])
        if len(known) < 2:
            targets_missing.append(target)
            continue
        after_warmup = [pair for pair in known if pair[0] >= args.start_ms + 1000 * args.warmup_s]
        if len(after_warmup) < 2:
            targets_missing.append(target)
            continue
        (ts0, k0), (ts1, k1) = after_warmup[0], after_warmup[-1]
        known = after_warmup
        due = round((ts1 - ts0) / args.interval_ms)
        missed = due - (k1 - k0)
        total_missed += max(missed, 0)
        target_not_seen = (k1 - k0 + 1) - len(known)
        not_seen += target_not_seen
        # Lateness: each scrape's start against the target's earliest phase in the window.
        phases = [((ts - ts0 + args.interval_ms // 2) % args.interval_ms) - args.interval_ms // 2
                  for ts, _ in known]
        earliest = min(phases)
        target_lateness = [p - earliest for p in phases]
        lateness_ms += target_lateness
        details.append(f"  {target} {due} {k1 - k0} {missed} {len(known)} {target_not_seen} "
                       f"{max(target_lateness)}")
    print(f"  per target, farm request numbers (replayed) vs the daemon's scrape timestamps, as stored "
          f"by Prometheus: {total_missed} scrapes missed over {args.targets - len(targets_missing)} targets; "
          f"scrape start lateness against each target's own phase p50 {percentile(lateness_ms, 0.5):.0f} ms, "
          f"p99 {percentile(lateness_ms, 0.99):.0f} ms, max {max(lateness_ms, default=float('nan')):.0f} ms")
    check("every target seen in Prometheus", not targets_missing, f"missing {targets_missing[:10]}")
    measured_targets = args.targets - len(targets_missing)
    check("missed scrapes per target (request numbers vs elapsed/interval)",
          total_missed <= args.max_missed and measured_targets > 0,
          f"{total_missed} missed over {measured_targets} targets (allowed {args.max_missed})")
    check("clock values are values the farm served, in order", unknown_values == 0 and order_errors == 0,
          f"{unknown_values} unknown, {order_errors} out of order")

    # --- memory and CPU ----------------------------------------------------
    print()
    print("2. memory (metrics-collector VmRSS)")
    after_two = [row for row in rows if row["elapsed_s"] >= 120 and row["head_samples"] is not None
                 and row["head_chunk_bytes"] is not None]
    rss_after_two = [row for row in rows if row["elapsed_s"] >= 120]
    if len(rss_after_two) >= 2 and len(after_two) < 2:
        print(f"  RSS at {rss_after_two[0]['elapsed_s']:.0f} s {rss_after_two[0]['mc_rss_bytes'] / 2**20:.1f} MiB, "
              f"at {rss_after_two[-1]['elapsed_s']:.0f} s {rss_after_two[-1]['mc_rss_bytes'] / 2**20:.1f} MiB; "
              f"slope {slope_per_minute(rss_after_two, 'mc_rss_bytes') / 2**20:+.2f} MiB/min "
              "(the head's figures were not readable)")
    if len(after_two) >= 2:
        at_two, at_end = after_two[0], after_two[-1]
        rss_growth = at_end["mc_rss_bytes"] - at_two["mc_rss_bytes"]
        head_growth = at_end["head_samples"] - at_two["head_samples"]
        chunk_growth = at_end["head_chunk_bytes"] - at_two["head_chunk_bytes"]
        per_sample = rss_growth / head_growth if head_growth > 0 else float("nan")
        print(f"  RSS at {at_two['elapsed_s']:.0f} s {at_two['mc_rss_bytes'] / 2**20:.1f} MiB, at "
              f"{at_end['elapsed_s']:.0f} s {at_end['mc_rss_bytes'] / 2**20:.1f} MiB "
              f"({100 * rss_growth / at_two['mc_rss_bytes']:+.1f} %); slope "
              f"{slope_per_minute(after_two, 'mc_rss_bytes') / 2**20:+.2f} MiB/min")
        print(f"  over the same span the head gained {head_growth:.0f} samples and "
              f"{chunk_growth / 2**20:.1f} MiB of chunk bytes (slope "
              f"{slope_per_minute(after_two, 'head_chunk_bytes') / 2**20:+.2f} MiB/min): RSS grew "
              f"{per_sample:.2f} B per sample kept; head series {at_end['head_series']:.0f}")
        print(f"  Prometheus RSS (context): {at_two['prometheus_rss_bytes'] / 2**20:.0f} -> "
              f"{at_end['prometheus_rss_bytes'] / 2**20:.0f} MiB")
        blocks_cut = (at_end["blocks"] or 0) - (at_two["blocks"] or 0)
        if blocks_cut > 0:
            # A cut moved samples out of the head: per sample kept means nothing;
            # section 4 judges the memory (RssAnon flat after warm-up).
            print(f"  {blocks_cut:.0f} block(s) cut in that span: the head's samples fell, so RSS per "
                  "sample kept is not checked (see 4.)")
        elif head_growth > 0:
            check("RSS growth after minute 2 is the head's samples",
                  per_sample <= args.max_rss_bytes_per_sample,
                  f"{per_sample:.2f} B per head sample (allowed {args.max_rss_bytes_per_sample:g})")
        else:
            check("RSS flat after minute 2 (head did not grow)",
                  rss_growth <= 0.05 * at_two["mc_rss_bytes"], f"{rss_growth / 2**20:+.1f} MiB")
    elif len(rss_after_two) < 2:
        print("  the soak was shorter than 2 minutes: no memory figure")
    print(f"  CPU, average cores: metrics-collector {d['mc_cpu_s'] / elapsed:.2f}, Prometheus "
          f"{d['prometheus_cpu_s'] / elapsed:.2f}, farm {d['farm_cpu_s'] / elapsed:.2f}; "
          f"load average (1 min) {min(r['loadavg_1m'] for r in rows):.1f}-{max(r['loadavg_1m'] for r in rows):.1f}"
          " on this machine")

    # --- Prometheus's own scrapes of :9993 ----------------------------------
    print()
    print("3. end to end: farm -> metrics-collector -> /metrics -> Prometheus")
    up = prom_query(args.prometheus, f'up{{job="soak"}}[{window_s:.0f}s]', args.end_ms / 1000)
    duration = prom_query(args.prometheus, f'scrape_duration_seconds{{job="soak"}}[{window_s:.0f}s]',
                          args.end_ms / 1000)
    if up:
        up_samples = [s for s in raw_samples(up[0]) if s[0] >= args.start_ms]
        durations = [v for ts, v in raw_samples(duration[0]) if ts >= args.start_ms] if duration else []
        print(f"  Prometheus scraped :9993 {len(up_samples)} times in the window, {sum(v for _, v in up_samples):.0f} "
              f"successfully; its scrape took p50 {percentile(durations, 0.5):.2f} s, max "
              f"{max(durations, default=float('nan')):.2f} s")
        check("Prometheus's scrapes of :9993 succeeded", all(v == 1 for _, v in up_samples),
              f"{sum(1 for _, v in up_samples if v != 1)} failed of {len(up_samples)}")
        # Prometheus scrapes at a fixed phase and a scrape never overruns its
        # timeout, so every interval from its first scrape on (its discovery
        # hands the target over up to 5 s after start) has one up sample.
        prom_interval_ms = args.prom_interval_ms or args.interval_ms
        prom_due = (round((up_samples[-1][0] - up_samples[0][0]) / prom_interval_ms) + 1
                    if up_samples else 0)
        print(f"  {prom_due} scrapes of :9993 were due from its first one in the window (every "
              f"{prom_interval_ms / 1000:g} s): {len(up_samples)} happened")
        check("Prometheus scraped :9993 at every interval (within 2)", len(up_samples) >= prom_due - 2,
              f"{len(up_samples)} of {prom_due} due")
    prometheus_counters(args)

    # Every series of every target must reach Prometheus: SERIES + the 5 report series.
    counts = prom_query(args.prometheus, 'count by (instance) ({job="farm"})', args.end_ms / 1000)
    farm_instances = {f"127.0.0.1:{args.base_port + t}" for t in range(args.targets)}
    # The daemon's own meta-metrics carry job="farm" too (per-job counters): not a target's.
    per_instance = {entry["metric"].get("instance"): int(float(entry["value"][1])) for entry in counts
                    if entry["metric"].get("instance") in farm_instances}
    expected_series = args.series + REPORT_SERIES_PER_SCRAPE
    short = {i: n for i, n in per_instance.items() if n != expected_series}
    absent = []
    print(f"  series per target in Prometheus: {len(per_instance)} targets, "
          f"{min(per_instance.values(), default=0)}-{max(per_instance.values(), default=0)} series each "
          f"(the farm serves {args.series}, the daemon adds {REPORT_SERIES_PER_SCRAPE} report series)")
    if short:
        instance = sorted(short)[0]
        stored = prom_query(args.prometheus, f'{{job="farm",instance="{instance}"}}', args.end_ms / 1000)
        have = {(e["metric"]["__name__"],
                 tuple(sorted((k, v) for k, v in e["metric"].items()
                              if k not in ("__name__", "job", "instance"))))
                for e in stored}
        absent = [text for _, _, text in page_layout if series_key(text) not in have]
        print(f"  {len(short)} targets differ; of {instance}'s page, Prometheus lacks {len(absent)} series: "
              + ", ".join(absent[:10]))
    check("every series of every target is in Prometheus",
          not short and len(per_instance) == args.targets,
          f"{len(per_instance)} targets, {len(short)} with a series count other than {expected_series}")

    rng = random.Random(args.check_seed)
    chosen = sorted({(rng.randrange(args.targets), rng.randrange(args.series))
                     for _ in range(args.checked_series)})
    by_target = {}
    for target, index in chosen:
        by_target.setdefault(target, []).append(index)
    mismatches = 0
    checked_samples = 0
    inferred = 0
    series_problems = []
    series_not_seen = 0
    series_span = 0
    details.append("checked series: target index kind series samples mismatches first_request "
                   "last_request not_in_prometheus gaps_over_1.5_intervals")
    for target, indices in by_target.items():
        served = replay(args, [target], indices, requests_replayed)[target]
        instance = f"127.0.0.1:{args.base_port + target}"
        clock = sorted(request_at.get(target, {}).items())
        for column, index in enumerate(indices):
            _, kind, text = page_layout[index]
            result = prom_query(args.prometheus, f"{selector(text, instance)}[{window_s:.0f}s]", query_time)
            if len(result) != 1:
                series_problems.append(f"{instance} {text}: {len(result)} series in Prometheus")
                continue
            samples = raw_samples(result[0])
            requests = []
            bad = []
            for ts, value in samples:
                request = request_at.get(target, {}).get(ts)
                if request is None and clock:
                    # Not in the clock's samples: the two were read from different
                    # commits of /metrics; place it by the nearest clock sample.
                    near_ts, near_request = min(clock, key=lambda c: abs(c[0] - ts))
                    request = near_request + round((ts - near_ts) / args.interval_ms)
                    inferred += 1
                expected = served.get(request, [None] * len(indices))[column]
                if expected is None or value != expected:
                    bad.append((ts, request, value, expected))
                requests.append(request)
            checked_samples += len(samples)
            mismatches += len(bad)
            span = requests[-1] - requests[0] + 1 if requests else 0
            missing = span - len(set(requests))
            series_span += span
            series_not_seen += missing
            gaps = sum(1 for a, b in zip(samples, samples[1:]) if b[0] - a[0] > 1.5 * args.interval_ms)
            details.append(f"  {target} {index} {kind} {text} {len(samples)} {len(bad)} "
                           f"{requests[0] if requests else '-'} {requests[-1] if requests else '-'} "
                           f"{missing} {gaps}")
            for ts, request, value, expected in bad[:3]:
                details.append(f"    mismatch at {ts} ms, request {request}: Prometheus {value!r}, "
                               f"farm served {expected!r}")
    not_seen_fraction = series_not_seen / series_span if series_span else float("nan")
    print(f"  {len(chosen)} series chosen at random (seed {args.check_seed}) over {len(by_target)} targets: "
          f"{checked_samples} samples in Prometheus compared with the value the farm served at the "
          f"request each was scraped from: {mismatches} differ ({inferred} placed by a neighbouring "
          "clock sample)")
    print(f"  farm requests within each series' span that Prometheus does not hold: {series_not_seen} of "
          f"{series_span} ({100 * not_seen_fraction:.3f} %); over all targets' clock series: "
          f"{not_seen} (Prometheus reads only the newest sample once per interval, so a daemon "
          "scrape finishing twice between two of its scrapes hides one)")
    for problem in series_problems:
        print("  " + problem)
    check("checked series: every stored value is the one the farm served",
          mismatches == 0 and not series_problems and checked_samples > 0,
          f"{mismatches} mismatches in {checked_samples} samples, {len(series_problems)} series problems")
    if args.max_prom_gap_fraction is not None:
        check("checked series: farm requests missing in Prometheus",
              not_seen_fraction <= args.max_prom_gap_fraction,
              f"{100 * not_seen_fraction:.3f} % (allowed {100 * args.max_prom_gap_fraction:g} %)")

    with open(args.details, "w") as file:
        file.write("\n".join(details) + "\n")

    print()
    failed = [c for c in checks if not c[1]]
    for name, passed, figure in checks:
        print(f"  {'PASS' if passed else 'FAIL'}  {name}: {figure}")
    print(f"soak {'FAILED' if failed else 'passed'} ({len(checks) - len(failed)}/{len(checks)} checks)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
