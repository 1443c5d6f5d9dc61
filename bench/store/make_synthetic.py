#!/usr/bin/env python3
"""Writes the synthetic dataset of the store benchmark: noisy, high-cardinality
OpenMetrics text with explicit timestamps, deterministic for a given seed.

Shape (defaults): 40 targets (job/instance labels), each scraped every 15 s for
30 min at its own phase inside the interval, every scrape timestamp jittering
by a few milliseconds. Each target exposes 995 series:
  300 float gauges   random walks with 1 to 3 decimals, at several scales
  300 counters       integer or fractional random increments, rare resets
  390 histogram      6 families x 5 label sets x (11 buckets incl. +Inf, _sum,
      series         _count); cumulative buckets, resets with their family
    5 scrape series  up, scrape_duration_seconds, scrape_samples_scraped, ...
40 x 995 series x 120 scrapes = 4,776,000 samples.

Like /work/shared/data/real-1s.om, lines come scrape after scrape in time
order, with no # TYPE/# HELP lines, timestamps in seconds with a millisecond
fraction, and "# EOF" at the end. The first scrape falls at the start of a 2 h
block (Prometheus's block boundary) so promtool writes one block, as it does
for the real file.

Usage: make_synthetic.py OUT.om [--seed N] [--targets N] [--minutes N]
Prints "samples N series N sha256 HEX" on success.
"""

import argparse
import hashlib
import math
import random
import sys

INTERVAL_MS = 15_000
# 2026-11-20T00:00:00Z: in the past of the machines this runs on, aligned to
# 2 h, a few days before the real dataset.
DEFAULT_START_MS = 1_795_132_800_000

HISTOGRAM_BOUNDS = ["0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1", "2.5", "5", "+Inf"]
HISTOGRAM_FAMILIES = [
    "http_request_duration_seconds",
    "grpc_server_handling_seconds",
    "db_query_duration_seconds",
    "cache_lookup_duration_seconds",
    "queue_wait_duration_seconds",
    "rpc_client_latency_seconds",
]
GAUGE_NAMES = [
    "node_memory_available_bytes", "process_resident_memory_bytes", "node_load1",
    "node_cpu_temperature_celsius", "queue_depth", "connection_pool_in_use",
    "disk_free_ratio", "thread_pool_utilization", "replication_lag_seconds",
    "cache_hit_ratio", "node_network_speed_bytes", "battery_voltage_volts",
    "fan_speed_rpm", "gc_heap_goal_bytes", "request_inflight",
]
COUNTER_NAMES = [
    "http_requests_total", "http_response_size_bytes_total", "errors_total",
    "node_cpu_seconds_total", "node_network_receive_bytes_total",
    "node_network_transmit_bytes_total", "db_rows_read_total", "cache_evictions_total",
    "messages_consumed_total", "messages_produced_total", "retries_total",
    "disk_read_bytes_total", "disk_written_bytes_total", "process_cpu_seconds_total",
    "gc_pause_seconds_total",
]
# Counters whose increments are fractional (seconds); the others count whole things.
FRACTIONAL_COUNTERS = {"node_cpu_seconds_total", "process_cpu_seconds_total", "gc_pause_seconds_total"}


def label_text(labels):
    return ",".join(f'{name}="{value}"' for name, value in labels)


def short_hash(rng):
    return "%010x" % rng.getrandbits(40)


class Target:
    """One scraped endpoint: its series, their state and its scrape phase."""

    def __init__(self, index, rng):
        self.rng = rng
        # Away from the edges, so jitter never moves a scrape across the 2 h boundary.
        self.phase_ms = rng.randrange(50, INTERVAL_MS - 50)
        job = ["api", "worker", "gateway", "db-proxy", "cache"][index % 5]
        pod = f"{job}-{short_hash(rng)[:8]}-{short_hash(rng)[:5]}"
        self.base = [("job", job), ("instance", f"10.{index // 8}.{index % 8}.{rng.randrange(2, 250)}:9100"),
                     ("pod", pod)]
        self.gauges = []  # [prefix, value, step, decimals]
        self.counters = []  # [prefix, value, rate, fractional]
        self.histograms = []  # [bucket prefixes, sum prefix, count prefix, counts, sum, rate, scale]
        self.scrape_prefixes = []
        self._make_gauges()
        self._make_counters()
        self._make_histograms()
        for name in ["up", "scrape_duration_seconds", "scrape_samples_scraped",
                     "scrape_samples_post_metric_relabeling", "scrape_series_added"]:
            self.scrape_prefixes.append(f"{name}{{{label_text(self.base[:2])}}} ")

    def _make_gauges(self):
        rng = self.rng
        for name in GAUGE_NAMES:
            for variant in range(20):
                labels = self.base + [("device", f"dev{variant}")]
                scale = 10 ** rng.uniform(-1, 6)
                decimals = rng.choice([1, 2, 3])
                self.gauges.append([f"{name}{{{label_text(labels)}}} ", scale, scale * rng.uniform(0.001, 0.05),
                                    decimals])

    def _make_counters(self):
        rng = self.rng
        for name in COUNTER_NAMES:
            for variant in range(20):
                labels = self.base + [("handler", f"/api/v{1 + variant % 3}/{short_hash(rng)[:6]}"),
                                      ("code", rng.choice(["200", "200", "200", "404", "500"]))]
                rate = 10 ** rng.uniform(-1, 4)
                start = rng.randrange(1, 10**7)
                self.counters.append([f"{name}{{{label_text(labels)}}} ", float(start), rate,
                                      name in FRACTIONAL_COUNTERS])

    def _make_histograms(self):
        rng = self.rng
        for family in HISTOGRAM_FAMILIES:
            for variant in range(5):
                labels = self.base + [("method", ["GET", "POST", "PUT", "DELETE", "PATCH"][variant]),
                                      ("route", f"/r/{short_hash(rng)[:7]}")]
                common = label_text(labels)
                buckets = [f'{family}_bucket{{{common},le="{bound}"}} ' for bound in HISTOGRAM_BOUNDS]
                # Where the observations fall: a log-normal around a median.
                median = 10 ** rng.uniform(-2.3, 0.3)
                weights = []
                for bound in HISTOGRAM_BOUNDS[:-1]:
                    z = (math.log(float(bound)) - math.log(median)) / 1.1
                    weights.append(0.5 * (1 + math.erf(z / math.sqrt(2))))
                weights.append(1.0)
                self.histograms.append([buckets, f"{family}_sum{{{common}}} ", f"{family}_count{{{common}}} ",
                                        [0] * len(buckets), 0.0, rng.uniform(0.5, 400), weights, median])

    def scrape(self, timestamp, out):
        rng = self.rng
        suffix = " %d.%03d\n" % divmod(timestamp, 1000)
        for gauge in self.gauges:
            gauge[1] += rng.gauss(0, gauge[2])
            out.append(gauge[0] + repr(round(gauge[1], gauge[3])) + suffix)
        for counter in self.counters:
            if rng.random() < 0.001:
                counter[1] = 0.0
            elif counter[3]:
                counter[1] = round(counter[1] + rng.expovariate(1 / counter[2]) * 0.01, 2)
            else:
                counter[1] += int(rng.expovariate(1 / counter[2]))
            value = counter[1]
            out.append(counter[0] + (repr(value) if counter[3] else str(int(value))) + suffix)
        for histogram in self.histograms:
            buckets, sum_prefix, count_prefix, counts, total, rate, weights, median = histogram
            if rng.random() < 0.001:
                counts = [0] * len(buckets)
                total = 0.0
            observed = int(rng.expovariate(1 / rate))
            below = 0
            for i, weight in enumerate(weights):
                # Cumulative by construction: each bucket holds at least the one below.
                below = max(below, min(observed, int(observed * weight * rng.uniform(0.97, 1.03))))
                if i == len(weights) - 1:
                    below = observed
                counts[i] += below
            total += observed * median * rng.uniform(0.8, 1.6)
            for prefix, count in zip(buckets, counts):
                out.append(prefix + str(count) + suffix)
            out.append(sum_prefix + repr(round(total, 6)) + suffix)
            out.append(count_prefix + str(counts[-1]) + suffix)
            histogram[3], histogram[4] = counts, total
        series = len(self.gauges) + len(self.counters) + 13 * len(self.histograms) + 5
        duration = round(rng.uniform(0.004, 0.03), 6)
        for prefix, value in zip(self.scrape_prefixes, ["1", repr(duration), str(series - 5),
                                                        str(series - 5), "0"]):
            out.append(prefix + value + suffix)

    def series_count(self):
        return len(self.gauges) + len(self.counters) + 13 * len(self.histograms) + len(self.scrape_prefixes)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out")
    parser.add_argument("--seed", type=int, default=20261120)
    parser.add_argument("--targets", type=int, default=40)
    parser.add_argument("--minutes", type=int, default=30)
    parser.add_argument("--start-ms", type=int, default=DEFAULT_START_MS)
    args = parser.parse_args()

    rng = random.Random(args.seed)
    targets = [Target(i, random.Random(rng.getrandbits(64))) for i in range(args.targets)]
    scrapes = args.minutes * 60_000 // INTERVAL_MS
    # Every scrape of every target, in time order: (timestamp, target).
    schedule = []
    for index, target in enumerate(targets):
        for k in range(scrapes):
            jitter = round(rng.gauss(0, 3))
            jitter = max(-10, min(10, jitter))
            schedule.append((args.start_ms + target.phase_ms + k * INTERVAL_MS + jitter, index))
    schedule.sort()

    digest = hashlib.sha256()
    samples = 0
    with open(args.out, "wb") as sink:
        out = []
        for timestamp, index in schedule:
            targets[index].scrape(timestamp, out)
            if len(out) >= 100_000:
                chunk = "".join(out).encode()
                digest.update(chunk)
                sink.write(chunk)
                samples += len(out)
                out.clear()
        out.append("# EOF\n")
        chunk = "".join(out).encode()
        digest.update(chunk)
        sink.write(chunk)
        samples += len(out) - 1
    series = sum(target.series_count() for target in targets)
    print(f"samples {samples} series {series} sha256 {digest.hexdigest()}")


if __name__ == "__main__":
    sys.exit(main())
