#!/usr/bin/env python3
"""Rewrites an OpenMetrics file with explicit timestamps into the body that
VictoriaMetrics's /api/v1/import/prometheus takes: Prometheus text lines whose
timestamps are integer milliseconds.

OpenMetrics timestamps are seconds (here with a millisecond fraction), while
VictoriaMetrics reads the trailing number as milliseconds, so every timestamp
is rescaled exactly (string arithmetic, no float rounding). Comment lines
(# TYPE, # HELP, # UNIT, # EOF) and exemplars are dropped: the import API does
not store them, and none of the peers counts them as samples.

Usage: openmetrics_to_vm_import.py IN.om OUT.prom
Prints "samples N nan N": the sample lines written, and how many of them hold
NaN (VictoriaMetrics drops NaN values other than the staleness marker, so it
stores that many fewer).
"""

import re
import sys
from decimal import Decimal

# A name, an optional label set (quoted values may hold '}', ' ' and '#'),
# then the rest of the line.
SAMPLE_HEAD = re.compile(r'^[^{\s]+(?:\{(?:[^"}]|"(?:[^"\\]|\\.)*")*\})?')


def seconds_to_milliseconds(text):
    whole, dot, fraction = text.partition(".")
    if whole.isdigit() and (not dot or fraction.isdigit()):
        return whole + (fraction + "000")[:3] if dot else whole + "000"
    # Exponent forms and the like: exact decimal arithmetic, then truncate.
    return str(int(Decimal(text) * 1000))


def split_sample(line):
    """Returns (series, value, timestamp or None)."""
    if " # " not in line:
        # The label set, if any, ends at the last '}' of the line: the value
        # and the timestamp never hold one.
        closing = line.rfind("}")
        head_end = closing + 1 if closing >= 0 else line.find(" ")
    else:
        head_end = SAMPLE_HEAD.match(line).end()
        line = line[: line.index(" # ", head_end)]
    fields = line[head_end:].split()
    if len(fields) == 1:
        return line[:head_end], fields[0], None
    if len(fields) == 2:
        return line[:head_end], fields[0], fields[1]
    raise ValueError("cannot split sample line: " + line)


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: openmetrics_to_vm_import.py IN.om OUT.prom")
    samples = 0
    nan_samples = 0
    with open(sys.argv[1], "r", encoding="utf-8", newline="\n") as source, open(
        sys.argv[2], "w", encoding="utf-8", newline="\n", buffering=1 << 22
    ) as sink:
        batch = []
        for number, line in enumerate(source, 1):
            if line.startswith("#") or not line.strip():
                continue
            try:
                series, value, timestamp = split_sample(line.rstrip("\n"))
            except (ValueError, AttributeError) as error:
                sys.exit(f"{sys.argv[1]}:{number}: {error}")
            if timestamp is None:
                sys.exit(f"{sys.argv[1]}:{number}: sample without a timestamp")
            batch.append(f"{series} {value} {seconds_to_milliseconds(timestamp)}\n")
            samples += 1
            if value.lower() == "nan":
                nan_samples += 1
            if len(batch) >= 65536:
                sink.write("".join(batch))
                batch.clear()
        sink.write("".join(batch))
    print(f"samples {samples} nan {nan_samples}")


if __name__ == "__main__":
    main()
