#!/usr/bin/env python3
"""Writes the dataset of the PromQL compliance harness and the query benchmark:
one OpenMetrics file with explicit timestamps (seconds with a millisecond
fraction), lines in time order, no # TYPE lines (as bench/store's datasets),
ending with "# EOF". Deterministic for a given seed and end time.

Each of JOBS x INSTANCES targets is "scraped" every 15 s at its own phase with a
few milliseconds of jitter and exposes (labels job, instance):
  up                                    gauge 1
  mc_build_info{version}                gauge 1 (for group_left joins)
  mc_http_requests_total{method,code,path}  integer counters; each resets about
                                        once every 2 hours (to a small value)
  mc_cpu_seconds_total{mode}            fractional counters, rare resets
  mc_temperature_celsius{sensor}        random-walk gauges around 20, some < 0
  mc_queue_length{queue}                integer gauges 0..50 (count_values, changes)
  mc_request_duration_seconds_bucket{method,le}, _sum, _count
                                        classic histograms, 10 bounds + +Inf,
                                        reset with their family
  mc_odd_values{kind}                   a gauge that is sometimes NaN, +Inf, -Inf
                                        or negative zero
  mc_flappy_gauge{slot}                 series that stop for 6 to 25 minutes and
                                        start again (gaps longer than the 5 m
                                        lookback), some ending for good
Besides, the last instance of every job stops altogether for 20 minutes in the
middle of the data (every series of it has a gap), and mc_late_series starts
only in the second half.

Usage: promql_testdata.py OUT.om [--end SECONDS] [--hours H] [--jobs N]
                          [--instances N] [--seed N] [--variants N]
  --end      Unix seconds of the last scrape slot (default: an hour before now,
             rounded down to a minute); use the same value for every store.
Writes OUT.om and OUT.json (start, end, interval, series, samples, the gaps)
and prints the JSON's content.
"""

import argparse
import json
import math
import random
import time

INTERVAL_MS = 15_000
JOBS = ["api", "worker", "gateway", "db-proxy", "cache"]
METHODS = ["GET", "POST", "PUT", "DELETE"]
CODES = ["200", "404", "500"]
PATHS = ["/api/v1/users", "/api/v1/orders", "/healthz", "/static/app.js"]
MODES = ["user", "system", "idle", "iowait"]
BOUNDS = ["0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1", "2.5", "5", "+Inf"]


def fmt_value(value):
    if isinstance(value, int):
        return str(value)
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "+Inf" if value > 0 else "-Inf"
    return repr(value)


class Series:
    """One series: its line prefix and a function giving its next value (or None: absent)."""

    def __init__(self, prefix, step):
        self.prefix = prefix
        self.step = step


def labels_text(pairs):
    return ",".join(f'{k}="{v}"' for k, v in pairs)


class Target:
    def __init__(self, job, index, instances, rng, args, start_ms, end_ms):
        self.rng = rng
        self.phase_ms = rng.randrange(100, INTERVAL_MS - 100)
        self.base = [("job", job), ("instance", f"10.0.{JOBS.index(job)}.{index + 1}:9100")]
        self.series = []
        self.outage = None
        span = end_ms - start_ms
        if index == instances - 1:
            middle = start_ms + span // 2
            self.outage = (middle, middle + 20 * 60_000)
        self.gaps = []
        self._build(args, start_ms, end_ms)

    def add(self, name, extra, step):
        pairs = [("__name__", name)] + self.base + extra
        prefix = name + "{" + labels_text(pairs[1:]) + "} "
        self.series.append(Series(prefix, step))

    def _build(self, args, start_ms, end_ms):
        rng = self.rng
        self.add("up", [], lambda t: 1)
        self.add("mc_build_info", [("version", rng.choice(["1.2.0", "1.3.1"]))], lambda t: 1)
        for v in range(args.variants):
            method = METHODS[v % len(METHODS)]
            for code in CODES:
                path = PATHS[(v + CODES.index(code)) % len(PATHS)]
                self.add("mc_http_requests_total", [("method", method), ("code", code), ("path", path)],
                         self._counter(rate=10 ** rng.uniform(-1, 2.5), reset_every_s=7200, integer=True))
        for mode in MODES:
            self.add("mc_cpu_seconds_total", [("mode", mode)],
                     self._counter(rate=rng.uniform(0.01, 1.0), reset_every_s=5 * 3600, integer=False))
        for sensor in range(max(2, args.variants)):
            self.add("mc_temperature_celsius", [("sensor", f"s{sensor}")], self._walk(rng.uniform(-5, 40), 0.3))
        for queue in ["high", "low", "batch"]:
            self.add("mc_queue_length", [("queue", queue)], self._int_walk())
        for v in range(max(1, args.variants // 2)):
            self._histogram(METHODS[v % len(METHODS)])
        self._odd()
        for slot in range(3):
            self._flappy(slot, start_ms, end_ms)
        middle = start_ms + (end_ms - start_ms) // 2
        late = self._walk(100.0, 2.0)
        self.add("mc_late_series", [], lambda t: late(t) if t >= middle else None)

    def _counter(self, rate, reset_every_s, integer):
        rng = self.rng
        state = {"v": rng.randrange(0, 1000) if integer else round(rng.uniform(0, 100), 3)}
        reset_p = 15.0 / reset_every_s

        def step(t):
            if rng.random() < reset_p:
                state["v"] = rng.randrange(0, 5) if integer else 0.0
            elif integer:
                state["v"] += int(rng.expovariate(1 / (rate * 15)))
            else:
                state["v"] = round(state["v"] + rng.uniform(0, 2) * rate * 15, 3)
            return state["v"]

        return step

    def _walk(self, start, sigma):
        rng = self.rng
        state = {"v": start}

        def step(t):
            state["v"] = round(state["v"] + rng.gauss(0, sigma), 2)
            return state["v"]

        return step

    def _int_walk(self):
        rng = self.rng
        state = {"v": rng.randrange(0, 20)}

        def step(t):
            if rng.random() < 0.3:
                state["v"] = max(0, min(50, state["v"] + rng.choice([-3, -1, 1, 2, 5])))
            return state["v"]

        return step

    def _histogram(self, method):
        rng = self.rng
        median = 10 ** rng.uniform(-2, 0)
        weights = []
        for bound in BOUNDS[:-1]:
            z = (math.log(float(bound)) - math.log(median)) / 1.0
            weights.append(0.5 * (1 + math.erf(z / math.sqrt(2))))
        weights.append(1.0)
        state = {"counts": [0] * len(BOUNDS), "sum": 0.0, "t": None}
        rate = rng.uniform(1, 50)

        def advance(t):
            # Once per scrape: the first series of the family moves the state.
            if state["t"] == t:
                return
            state["t"] = t
            if rng.random() < 15.0 / 10800:
                state["counts"] = [0] * len(BOUNDS)
                state["sum"] = 0.0
            observed = int(rng.expovariate(1 / (rate * 15)))
            below = 0
            for i, weight in enumerate(weights):
                below = max(below, min(observed, int(observed * weight * rng.uniform(0.95, 1.05))))
                if i == len(weights) - 1:
                    below = observed
                state["counts"][i] += below
            state["sum"] = round(state["sum"] + observed * median * rng.uniform(0.8, 1.5), 4)

        for i, bound in enumerate(BOUNDS):
            self.add("mc_request_duration_seconds_bucket", [("method", method), ("le", bound)],
                     lambda t, i=i: (advance(t), state["counts"][i])[1])
        self.add("mc_request_duration_seconds_sum", [("method", method)], lambda t: (advance(t), state["sum"])[1])
        self.add("mc_request_duration_seconds_count", [("method", method)],
                 lambda t: (advance(t), state["counts"][-1])[1])

    def _odd(self):
        rng = self.rng
        walk = self._walk(1.0, 0.5)

        def step(t):
            r = rng.random()
            if r < 0.03:
                return float("nan")
            if r < 0.04:
                return float("inf")
            if r < 0.05:
                return float("-inf")
            if r < 0.06:
                return -0.0
            return walk(t)

        self.add("mc_odd_values", [("kind", "mixed")], step)

    def _flappy(self, slot, start_ms, end_ms):
        rng = self.rng
        span = end_ms - start_ms
        gaps = []
        cursor = start_ms + rng.randrange(10, 40) * 60_000
        while cursor < end_ms:
            length = rng.randrange(6, 26) * 60_000
            gaps.append((cursor, cursor + length))
            cursor += length + rng.randrange(20, 70) * 60_000
        if slot == 2:
            # Ends for good before the end of the data.
            gaps.append((start_ms + span * 3 // 4, end_ms + 1))
        walk = self._walk(rng.uniform(0, 100), 1.0)
        self.gaps.extend({"series": f"mc_flappy_gauge slot=s{slot}", "from": a / 1000, "to": b / 1000}
                         for a, b in gaps)

        def step(t):
            for a, b in gaps:
                if a <= t < b:
                    return None
            return walk(t)

        self.add("mc_flappy_gauge", [("slot", f"s{slot}")], step)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out")
    parser.add_argument("--end", type=int, default=None)
    parser.add_argument("--hours", type=float, default=3.0)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--instances", type=int, default=2)
    parser.add_argument("--variants", type=int, default=2, help="label variants per metric family")
    parser.add_argument("--seed", type=int, default=20261205)
    args = parser.parse_args()

    end = args.end if args.end is not None else (int(time.time()) - 3600) // 60 * 60
    end_ms = end * 1000
    scrapes = int(args.hours * 3600_000 // INTERVAL_MS)
    start_ms = end_ms - (scrapes - 1) * INTERVAL_MS
    rng = random.Random(args.seed)
    targets = []
    for j in range(args.jobs):
        for i in range(args.instances):
            targets.append(Target(JOBS[j % len(JOBS)], i, args.instances, random.Random(rng.getrandbits(64)), args,
                                  start_ms, end_ms))

    samples = 0
    first_ms = last_ms = None
    series_seen = set()
    with open(args.out, "w", encoding="utf-8", newline="\n", buffering=1 << 22) as sink:
        for k in range(scrapes):
            slot = start_ms + k * INTERVAL_MS - INTERVAL_MS
            # Every target scrapes once per slot; in time order within the slot.
            order = sorted(targets, key=lambda tg: tg.phase_ms)
            lines = []
            for target in order:
                t = slot + target.phase_ms + max(-20, min(20, round(target.rng.gauss(0, 5))))
                if target.outage and target.outage[0] <= t < target.outage[1]:
                    continue
                suffix = " %d.%03d\n" % divmod(t, 1000)
                for series in target.series:
                    value = series.step(t)
                    if value is None:
                        continue
                    lines.append(series.prefix + fmt_value(value) + suffix)
                    series_seen.add(series.prefix)
                    samples += 1
                    first_ms = t if first_ms is None else min(first_ms, t)
                    last_ms = t if last_ms is None else max(last_ms, t)
            sink.write("".join(lines))
        sink.write("# EOF\n")

    gaps = []
    for target in targets:
        if target.outage:
            gaps.append({"series": labels_text(target.base), "from": target.outage[0] / 1000,
                         "to": target.outage[1] / 1000})
        gaps.extend(target.gaps)
    meta = {
        "file": args.out,
        "start": first_ms / 1000,
        "end": last_ms / 1000,
        "slot_end": end,
        "interval_seconds": INTERVAL_MS / 1000,
        "series": len(series_seen),
        "samples": samples,
        "seed": args.seed,
        "jobs": args.jobs,
        "instances": args.instances,
        "gaps": gaps,
    }
    with open(args.out.rsplit(".", 1)[0] + ".json", "w", encoding="utf-8") as sink:
        json.dump(meta, sink, indent=1)
    print(json.dumps({k: v for k, v in meta.items() if k != "gaps"}))


if __name__ == "__main__":
    main()
