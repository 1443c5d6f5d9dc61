#!/usr/bin/env python3
"""The markdown table of bench/scrape/compare.sh from its results.csv.

Per farm and scraper: median (min-max) over the runs of CPU ns per scraped
sample and of peak and steady RSS bytes per series, and, for metrics-collector,
its ratio to each peer taken run by run (both measured in the same run), then
the median (min-max) of those ratios. Rows measured with RELABEL=1 (the
relabel column) are a farm of their own, "+ rules"; where a scraper ran with
and without rules, its CPU ratio rules/no rules is taken run by run as well.

Usage: bench/scrape/summarize.py results.csv
"""
import csv
import statistics
import sys

OURS = "metrics-collector"
LABELS = {
    "metrics-collector": "metrics-collector",
    "prometheus": "Prometheus 2.42 (TSDB)",
    "vmagent": "vmagent 1.79 (no storage)",
    "victoria-metrics": "VictoriaMetrics single-node (storage)",
}


def number(text):
    try:
        return float(text)
    except ValueError:
        return None


def spread(values, digits=0):
    values = [v for v in values if v is not None]
    if not values:
        return "n/a"
    fmt = f"{{:,.{digits}f}}"
    median = fmt.format(statistics.median(values))
    if len(values) == 1:
        return median
    return f"{median} ({fmt.format(min(values))}-{fmt.format(max(values))})"


def main(path):
    with open(path, newline="") as file:
        rows = list(csv.DictReader(file))
    for row in rows:  # results.csv files from before the relabel column
        row["relabel"] = row.get("relabel") or "0"
    farms = []
    for row in rows:
        key = (row["farm"], row["interval_s"], row["relabel"])
        if key not in farms:
            farms.append(key)

    print("| farm K×M @ interval | scraper | CPU ns per scraped sample | peak RSS per series (B) "
          "| steady RSS per series (B) | samples check | runs |")
    print("|---|---|---|---|---|---|---|")
    ratio_lines = []
    for farm, interval, relabel in farms:
        in_farm = [r for r in rows if r["farm"] == farm and r["interval_s"] == interval
                   and r["relabel"] == relabel]
        scrapers = []
        for row in in_farm:
            if row["scraper"] not in scrapers:
                scrapers.append(row["scraper"])
        k, m = farm.split("x")
        farm_text = f"{int(k):,}×{int(m):,} @ {interval} s"
        if relabel != "0":
            farm_text += " + rules"
        for scraper in scrapers:
            mine = [r for r in in_farm if r["scraper"] == scraper]
            print(f"| {farm_text} | {LABELS.get(scraper, scraper)} "
                  f"| {spread([number(r['cpu_ns_per_sample']) for r in mine])} "
                  f"| {spread([number(r['peak_rss_per_series']) for r in mine])} "
                  f"| {spread([number(r['steady_rss_per_series']) for r in mine])} "
                  f"| {spread([number(r['samples_check']) for r in mine], 3)} "
                  f"| {len(mine)} |")
        if OURS not in scrapers:
            continue
        for peer in scrapers:
            if peer == OURS:
                continue
            cpu_ratios, rss_ratios = [], []
            for run in sorted({r["run"] for r in in_farm}):
                ours = [r for r in in_farm if r["scraper"] == OURS and r["run"] == run]
                theirs = [r for r in in_farm if r["scraper"] == peer and r["run"] == run]
                if not ours or not theirs:
                    continue
                a, b = number(ours[0]["cpu_ns_per_sample"]), number(theirs[0]["cpu_ns_per_sample"])
                if a and b:
                    cpu_ratios.append(a / b)
                a, b = number(ours[0]["peak_rss_per_series"]), number(theirs[0]["peak_rss_per_series"])
                if a and b:
                    rss_ratios.append(a / b)
            ratio_lines.append(f"| {farm_text} | {LABELS.get(peer, peer)} "
                               f"| {spread(cpu_ratios, 2)} | {spread(rss_ratios, 2)} |")
    if ratio_lines:
        print()
        print("| farm K×M @ interval | metrics-collector ÷ peer, same run | CPU per sample "
              "| peak RSS per series |")
        print("|---|---|---|---|")
        for line in ratio_lines:
            print(line)
    rules_lines = []
    for farm, interval, relabel in farms:
        if relabel == "0":
            continue
        same = [r for r in rows if r["farm"] == farm and r["interval_s"] == interval]
        k, m = farm.split("x")
        for scraper in dict.fromkeys(r["scraper"] for r in same if r["relabel"] == relabel):
            ratios = []
            for run in sorted({r["run"] for r in same}):
                def cpu(variant):
                    found = [r for r in same if r["scraper"] == scraper and r["run"] == run
                             and r["relabel"] == variant]
                    return number(found[0]["cpu_ns_per_sample"]) if found else None
                a, b = cpu(relabel), cpu("0")
                if a and b:
                    ratios.append(a / b)
            if ratios:
                rules_lines.append(f"| {int(k):,}×{int(m):,} @ {interval} s "
                                   f"| {LABELS.get(scraper, scraper)} | {spread(ratios, 2)} |")
    if rules_lines:
        print()
        print("| farm K×M @ interval | scraper | CPU per sample, rules ÷ no rules, same run |")
        print("|---|---|---|")
        for line in rules_lines:
            print(line)
    farm_cpu = [number(r["farm_cpu_s"]) / number(r["window_s"]) for r in rows]
    sink_cpu = [number(r["sink_cpu_s"]) / number(r["window_s"]) for r in rows
                if r["scraper"] == "vmagent"]
    print()
    print(f"Farm CPU while measuring: {spread([c * 100 for c in farm_cpu], 1)} % of one core; "
          f"vmagent's remote-write sink (not counted for vmagent): "
          f"{spread([c * 100 for c in sink_cpu], 1)} % of one core. "
          f"1-min load average during the windows: {spread([number(r['loadavg_1m']) for r in rows], 2)}.")


if __name__ == "__main__":
    main(sys.argv[1])
