#!/usr/bin/env python3
"""The soak's memory verdict and plot (issue 14; bench/soak/soak.sh runs it).

Reads memory.csv (the daemon's VmRSS, RssAnon and RssFile from
/proc/PID/status every SAMPLE_SECONDS, with the head's series, samples, chunk
bytes and the blocks on disk), prints the figures, and judges flatness as the
issue states it: RssAnon at FLAT_FROM_MINUTE against the largest RssAnon after
it, within MAX_GROWTH_PERCENT. Anonymous memory is what a Kubernetes memory
limit counts and the kernel cannot reclaim; file-backed pages (RssFile) it can,
so they are plotted beside it but not judged.

Writes an SVG plot by hand (the standard library only, so the script runs on a
bare Debian): the three memory lines against minutes, a dashed line where a
block was cut, and where the flatness window starts. Exit status 1 when the
memory is not flat, 2 when there are too few rows to judge.
"""

import argparse
import csv
import math
import sys
from xml.sax.saxutils import escape

MIB = 2**20
# (column, legend, colour); RssAnon is judged, the others are context.
LINES = [("rss_anon_bytes", "RssAnon (judged)", "#c0392b"),
         ("rss_file_bytes", "RssFile (reclaimable)", "#2471a3"),
         ("vm_rss_bytes", "VmRSS", "#7f8c8d")]


def parse_args():
    parser = argparse.ArgumentParser()
    parser.add_argument("--memory", required=True, help="memory.csv written by soak.sh")
    parser.add_argument("--svg", required=True, help="where to write the plot")
    parser.add_argument("--flat-from-minute", type=float, default=10)
    parser.add_argument("--max-growth-percent", type=float, default=10)
    parser.add_argument("--title", default="metrics-collector memory")
    return parser.parse_args()


def read_rows(path):
    rows = []
    with open(path) as file:
        for row in csv.DictReader(file):
            values = {key: None if value == "NA" else float(value) for key, value in row.items()}
            # A row without /proc figures: the daemon was gone at that moment.
            if all(values[column] is not None for column, _, _ in LINES):
                rows.append(values)
    return rows


def block_cuts(rows):
    """Minutes at which the number of blocks on disk went up."""
    cuts = []
    known = None  # blocks at the last row that had the figure
    for row in rows:
        if row["blocks"] is None:
            continue
        if known is not None and row["blocks"] > known:
            cuts.append(row["elapsed_s"] / 60)
        known = row["blocks"]
    return cuts


def nice_step(span, ticks):
    """A round step (1, 2 or 5 times a power of ten) giving about `ticks` ticks over `span`."""
    raw = span / max(ticks, 1)
    power = 10 ** math.floor(math.log10(raw))
    return next(power * factor for factor in (1, 2, 5, 10) if power * factor >= raw)


def write_svg(path, rows, title, flat_from_minute, cuts):
    width, height = 860, 440
    left, right, top, bottom = 70, 200, 40, 50
    plot_w, plot_h = width - left - right, height - top - bottom
    xs = [row["elapsed_s"] / 60 for row in rows]
    x_max = max(xs[-1], 1)
    y_max = max(row[column] for row in rows for column, _, _ in LINES) / MIB * 1.05
    y_max = max(y_max, 1)

    def px(minute):
        return left + plot_w * minute / x_max

    def py(mib):
        return top + plot_h * (1 - mib / y_max)

    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
           f'viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="12">',
           f'<rect width="{width}" height="{height}" fill="white"/>',
           f'<text x="{left}" y="22" font-size="14">{escape(title)}</text>']
    y_step = nice_step(y_max, 6)
    tick = 0.0
    while tick <= y_max:
        out.append(f'<line x1="{left}" x2="{left + plot_w}" y1="{py(tick):.1f}" y2="{py(tick):.1f}" '
                   'stroke="#e5e5e5"/>')
        out.append(f'<text x="{left - 6}" y="{py(tick) + 4:.1f}" text-anchor="end">{tick:g}</text>')
        tick += y_step
    x_step = nice_step(x_max, 8)
    tick = 0.0
    while tick <= x_max:
        out.append(f'<line x1="{px(tick):.1f}" x2="{px(tick):.1f}" y1="{top + plot_h}" y2="{top + plot_h + 4}" '
                   'stroke="black"/>')
        out.append(f'<text x="{px(tick):.1f}" y="{top + plot_h + 18}" text-anchor="middle">{tick:g}</text>')
        tick += x_step
    out.append(f'<line x1="{left}" x2="{left}" y1="{top}" y2="{top + plot_h}" stroke="black"/>')
    out.append(f'<line x1="{left}" x2="{left + plot_w}" y1="{top + plot_h}" y2="{top + plot_h}" stroke="black"/>')
    out.append(f'<text x="{left + plot_w / 2}" y="{height - 10}" text-anchor="middle">minutes since the first '
               'scrape</text>')
    out.append(f'<text x="16" y="{top + plot_h / 2}" text-anchor="middle" '
               f'transform="rotate(-90 16 {top + plot_h / 2})">MiB</text>')
    if flat_from_minute <= x_max:
        out.append(f'<line x1="{px(flat_from_minute):.1f}" x2="{px(flat_from_minute):.1f}" y1="{top}" '
                   f'y2="{top + plot_h}" stroke="#27ae60" stroke-width="1.5"/>')
    for minute in cuts:
        out.append(f'<line x1="{px(minute):.1f}" x2="{px(minute):.1f}" y1="{top}" y2="{top + plot_h}" '
                   'stroke="black" stroke-dasharray="4 4"/>')
    for column, _, colour in LINES:
        points = " ".join(f"{px(x):.1f},{py(row[column] / MIB):.1f}" for x, row in zip(xs, rows))
        out.append(f'<polyline fill="none" stroke="{colour}" stroke-width="2" points="{points}"/>')
    legend = [(label, colour, "") for _, label, colour in LINES]
    legend.append((f"flat from minute {flat_from_minute:g}", "#27ae60", ""))
    legend.append(("block cut", "black", ' stroke-dasharray="4 4"'))
    for i, (label, colour, dash) in enumerate(legend):
        y = top + 10 + 20 * i
        out.append(f'<line x1="{left + plot_w + 15}" x2="{left + plot_w + 40}" y1="{y}" y2="{y}" '
                   f'stroke="{colour}" stroke-width="2"{dash}/>')
        out.append(f'<text x="{left + plot_w + 46}" y="{y + 4}">{escape(label)}</text>')
    out.append("</svg>")
    with open(path, "w") as file:
        file.write("\n".join(out) + "\n")


def main():
    args = parse_args()
    rows = read_rows(args.memory)
    print()
    print("4. memory over the run (memory.csv, plot in memory.svg)")
    if len(rows) < 2:
        print(f"  too few rows in {args.memory} to judge")
        return 2
    cuts = block_cuts(rows)
    write_svg(args.svg, rows, args.title, args.flat_from_minute, cuts)
    every = max(1, len(rows) // 30)  # a 3-hour run prints every 6th row; the CSV has them all
    for row in rows[::every]:
        print(f"  minute {row['elapsed_s'] / 60:6.1f}: RssAnon {row['rss_anon_bytes'] / MIB:7.1f} MiB, "
              f"RssFile {row['rss_file_bytes'] / MIB:6.1f} MiB, VmRSS {row['vm_rss_bytes'] / MIB:7.1f} MiB"
              + (f", head {row['head_series']:.0f} series {row['head_samples']:.0f} samples"
                 if row["head_series"] is not None and row["head_samples"] is not None else "")
              + (f", blocks {row['blocks']:.0f}" if row["blocks"] is not None else ""))
    print("  block cuts at minute: " + (", ".join(f"{m:.1f}" for m in cuts) if cuts else "none"))
    judged = [row for row in rows if row["elapsed_s"] >= 60 * args.flat_from_minute]
    if len(judged) < 2:
        print(f"  the run has fewer than two rows from minute {args.flat_from_minute:g}: not judged")
        return 2
    base = judged[0]
    peak = max(judged[1:], key=lambda row: row["rss_anon_bytes"])
    growth = 100 * (peak["rss_anon_bytes"] - base["rss_anon_bytes"]) / base["rss_anon_bytes"]
    flat = growth <= args.max_growth_percent
    print(f"  RssAnon at minute {base['elapsed_s'] / 60:.1f} {base['rss_anon_bytes'] / MIB:.1f} MiB, max after it "
          f"{peak['rss_anon_bytes'] / MIB:.1f} MiB (minute {peak['elapsed_s'] / 60:.1f}): {growth:+.1f} %; "
          f"RssFile {base['rss_file_bytes'] / MIB:.1f} -> {judged[-1]['rss_file_bytes'] / MIB:.1f} MiB")
    print(f"  {'PASS' if flat else 'FAIL'}  RssAnon flat from minute {args.flat_from_minute:g} "
          f"(within {args.max_growth_percent:g} %): {growth:+.1f} %")
    return 0 if flat else 1


if __name__ == "__main__":
    sys.exit(main())
