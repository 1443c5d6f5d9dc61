#!/usr/bin/env python3
"""Many repetitions of a few range queries, ours, Prometheus 2.42 and
VictoriaMetrics 1.79 asked in turn after every request, on the stores
compare.sh loaded (MC_QUERY_BENCH_DIR, default /tmp/mc-query-bench): medians
in ms and ours' ratios. For what five repetitions of compare.sh cannot
settle (a 7-day query at 4-6 ms on a shared machine).

  bench/query/versus.py BINARY RANGE_SECONDS STEP_SECONDS REPETITIONS QUERY...

Listens on 127.0.0.1:25901-25903; the range ends at the data's end, as
compare.sh's do. Compare answers with compare.sh: this only times them.
"""
import json
import math
import os
import statistics
import sys

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(REPO, "tests", "compliance"))
import promql_compliance as compliance  # noqa: E402
import servers  # noqa: E402


def main():
    if len(sys.argv) < 6:
        sys.exit(__doc__)
    binary = os.path.abspath(sys.argv[1])
    range_seconds, step, repetitions = int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
    work = os.path.join(os.environ.get("MC_QUERY_BENCH_DIR", "/tmp/mc-query-bench"), "bench")
    meta = json.load(open(os.path.join(work, "dataset", "bench.json"), encoding="utf-8"))
    prometheus = servers.Prometheus(os.path.join(work, "prometheus"))
    ours = servers.MetricsCollector(os.path.join(work, "metrics-collector"), binary)
    vm = servers.VictoriaMetrics(os.path.join(work, "victoria-metrics"))
    names = {ours: "ours", prometheus: "prometheus", vm: "victoria-metrics"}
    for port, server in enumerate(names, start=25901):
        server.port = port
    prometheus.start()
    ours.start()
    vm.start(keep=True)
    end = math.floor(meta["end"] / step) * step
    params = {"start": end - range_seconds, "end": end, "step": str(step)}
    try:
        for query in sys.argv[5:]:
            latencies = {server: [] for server in names}
            for _ in range(repetitions):
                for server in names:
                    answer = compliance.ask(server.url, "range", query, params, 60)
                    latencies[server].append(answer["seconds"] * 1000)
            median = {server: statistics.median(latencies[server]) for server in names}
            print(" ".join(f"{names[s]} {median[s]:.2f} ms" for s in names) +
                  f"; ours / prometheus {median[ours] / median[prometheus]:.2f},"
                  f" ours / victoria-metrics {median[ours] / median[vm]:.2f}: {query}", flush=True)
    finally:
        for server in names:
            server.stop()


if __name__ == "__main__":
    main()
