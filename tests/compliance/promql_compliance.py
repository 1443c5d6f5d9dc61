#!/usr/bin/env python3
"""PromQL compliance: the same queries against two Prometheus HTTP APIs on the
same data, answers compared (issue 12, "How it is checked").

Each expanded query of the query set (tests/compliance/queries.txt) runs as
range queries over several windows and steps and as instant queries at several
times, against the reference (Prometheus 2.42) and the tested server; a query
passes when every one of its requests agrees:
  - the same HTTP status code, the same "status", and for errors the same
    errorType (the messages are shown, not compared);
  - the same resultType; the same series set (label sets); the same
    timestamps; values within a relative 1e-5 (or 1e-12 absolute, for
    values next to zero whose float sums differ in order), NaN equal to NaN,
    infinities equal by sign; for a query whose outermost call is sort() or
    sort_desc(), the same order of values too. Warnings are not compared.

Usage:
  promql_compliance.py run --form short|full --work DIR [--tested ours|vm|prometheus] [--ours BINARY] [--out FILE]
      generates the data (tests/tools/promql_testdata.py), loads it into
      Prometheus and into the tested server (metrics-collector through
      `store import`; or, to check the harness itself, VictoriaMetrics, or a
      second Prometheus, which must agree on everything), starts both on
      127.0.0.1, compares, stops them.
  promql_compliance.py compare --reference URL --tested URL --meta DATA.json [--form ...]
      the same against servers already running on that data.
  promql_compliance.py self-test
      planted differences the comparison must catch, equal answers it must pass.

Exit status: 0 when every query agrees, 1 when some differ, 2 for a broken
run, 77 (skip) when prometheus or promtool is not installed or the tested
daemon has no /api/v1/query (404).
"""

import argparse
import itertools
import json
import math
import os
import re
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, HERE)
import servers  # noqa: E402

RELATIVE = 1e-5
ABSOLUTE = 1e-12

FORMS = {
    # Data shape and which requests each query makes.
    "short": {"data": ["--hours", "3", "--jobs", "2", "--instances", "2", "--variants", "2"], "full_set": False},
    "full": {"data": ["--hours", "4", "--jobs", "3", "--instances", "3", "--variants", "3"], "full_set": True},
}


# --- the query set ----------------------------------------------------------------
def expand(path, builtins, first_only):
    """The queries of the template file: every combination of the variables a
    template names, or with first_only (the short form) the first value of
    each variable but those marked with * and one more walk through them."""
    variables = {}
    queries = []
    seen = set()
    turn = {}
    every_value = set()
    with open(path, encoding="utf-8") as source:
        for number, line in enumerate(source, 1):
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            if line.startswith("@") and ":" in line:
                name, _, values = line[1:].partition(":")
                name = name.strip()
                if name.endswith("*"):
                    name = name[:-1]
                    every_value.add(name)
                variables[name] = [v.strip() for v in values.split(" | ")]
                continue
            names = []
            for name in re.findall(r"\{([a-z_]+)\}", line):
                if name in variables and name not in names:
                    names.append(name)
            if first_only:
                # The short form: the first value of each variable, and one
                # more combination that walks through the values template by
                # template, so that every value of a variable comes up somewhere.
                # Variables marked with * (function and operator names) take
                # every value in the short form too.
                firsts, rotated = [], []
                for n in names:
                    turn[n] = turn.get(n, 0) + 1
                    if n in every_value:
                        firsts.append(variables[n])
                        rotated.append(variables[n])
                    else:
                        firsts.append(variables[n][:1])
                        rotated.append([variables[n][turn[n] % len(variables[n])]])
                combinations = list(itertools.product(*firsts)) + list(itertools.product(*rotated))
            else:
                combinations = itertools.product(*[variables[n] for n in names])
            for combination in combinations:
                query = line
                for name, value in zip(names, combination):
                    query = query.replace("{" + name + "}", value)
                for name, value in builtins.items():
                    query = query.replace("{" + name + "}", value)
                if query not in seen:
                    seen.add(query)
                    queries.append({"query": query, "line": number})
    return queries


def requests_for(meta, full):
    """The (kind, params) each query is sent with: range windows and instant times."""
    start, end = meta["start"], meta["end"]
    middle = start + (end - start) / 2
    aligned = lambda t, step: math.floor(t / step) * step  # noqa: E731
    windows = [
        # The whole data at a 1 m step, aligned as Grafana aligns.
        ("range", {"start": aligned(start, 60), "end": aligned(end, 60) + 60, "step": "60"}),
        # The middle hour at the scrape interval: the outage of the last instances is in it.
        ("range", {"start": aligned(middle - 1800, 15), "end": aligned(middle + 1800, 15), "step": "15"}),
    ]
    instants = [("instant", {"time": f"{end:.3f}"}), ("instant", {"time": f"{middle + 600:.3f}"})]
    if full:
        windows += [
            # Unaligned start with a fraction, an odd step.
            ("range", {"start": f"{start + 1234.567:.3f}", "end": f"{start + 1234.567 + 2820:.3f}", "step": "37"}),
            # Past the end of the data: series end 5 m after their last sample.
            ("range", {"start": aligned(end - 1800, 30), "end": aligned(end + 900, 30), "step": "30"}),
            # A coarse step over everything (RFC 3339 times).
            ("range", {"start": rfc3339(aligned(start, 300)), "end": rfc3339(aligned(end, 300)), "step": "10m"}),
        ]
        instants += [
            ("instant", {"time": f"{start + 300.5:.3f}"}),
            ("instant", {"time": f"{end + 200:.3f}"}),
            ("instant", {"time": f"{start - 600:.3f}"}),
        ]
    return windows + instants


def rfc3339(t):
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(t))


# --- HTTP ----------------------------------------------------------------------------
def ask(base, kind, query, params, timeout):
    path = "/api/v1/query_range" if kind == "range" else "/api/v1/query"
    body = urllib.parse.urlencode(dict({"query": query}, **{k: str(v) for k, v in params.items()})).encode()
    request = urllib.request.Request(base + path, data=body, method="POST")
    request.add_header("Content-Type", "application/x-www-form-urlencoded")
    started = time.monotonic()
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            code, raw = response.status, response.read()
    except urllib.error.HTTPError as error:
        code, raw = error.code, error.read()
    except (urllib.error.URLError, OSError) as error:
        return {"code": 0, "error": f"request failed: {error}", "seconds": time.monotonic() - started}
    seconds = time.monotonic() - started
    try:
        answer = json.loads(raw)
    except ValueError:
        return {"code": code, "error": f"not JSON: {raw[:200]!r}", "seconds": seconds}
    answer["code"] = code
    answer["seconds"] = seconds
    return answer


def ask_api(base, method, path, params, timeout):
    """One call of the HTTP API (params: a list of pairs; repeated names allowed)."""
    body = urllib.parse.urlencode(params).encode()
    if method == "GET":
        request = urllib.request.Request(base + path + ("?" + body.decode() if params else ""), method="GET")
    else:
        request = urllib.request.Request(base + path, data=body, method="POST")
        request.add_header("Content-Type", "application/x-www-form-urlencoded")
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            code, raw = response.status, response.read()
    except urllib.error.HTTPError as error:
        code, raw = error.code, error.read()
    except (urllib.error.URLError, OSError) as error:
        return {"code": 0, "error": f"request failed: {error}"}
    try:
        answer = json.loads(raw)
    except ValueError:
        return {"code": code, "error": f"not JSON: {raw[:200]!r}"}
    if not isinstance(answer, dict):
        return {"code": code, "error": f"not a JSON object: {raw[:200]!r}"}
    answer["code"] = code
    return answer


def api_calls(meta):
    """Grafana's calls of a Prometheus datasource, and bad input (issue 12), as
    (what, method, path, params)."""
    start, end = meta["start"], meta["end"]
    whole = [("start", f"{start:.3f}"), ("end", f"{end:.3f}")]
    step = 60
    a_start, a_end = math.floor(start / step) * step, math.floor(end / step) * step
    calls = [
        ("health check: 1+1 instant", "GET", "/api/v1/query", [("query", "1+1"), ("time", f"{end:.3f}")]),
        ("health check: 1+1 instant, POST", "POST", "/api/v1/query", [("query", "1+1"), ("time", f"{end:.3f}")]),
        ("buildinfo (keys only)", "GET", "/api/v1/status/buildinfo", []),
        ("labels", "GET", "/api/v1/labels", whole),
        ("labels, POST", "POST", "/api/v1/labels", whole),
        ("labels with match[]", "GET", "/api/v1/labels", whole + [("match[]", "mc_queue_length")]),
        ("labels, no time range", "GET", "/api/v1/labels", []),
        ("metric names", "GET", "/api/v1/label/__name__/values", whole),
        ("label values", "GET", "/api/v1/label/job/values", whole),
        ("label values with match[]", "GET", "/api/v1/label/instance/values",
         whole + [("match[]", 'mc_http_requests_total{job="api"}')]),
        ("label values, two match[]", "GET", "/api/v1/label/__name__/values",
         whole + [("match[]", "up"), ("match[]", '{__name__=~"mc_queue.*"}')]),
        ("label values of a missing label", "GET", "/api/v1/label/nosuch/values", whole),
        ("label values, bad label name", "GET", "/api/v1/label/bad-name/values", whole),
        ("series", "GET", "/api/v1/series", whole + [("match[]", "mc_queue_length")]),
        ("series, POST, two match[]", "POST", "/api/v1/series",
         whole + [("match[]", "up"), ("match[]", 'mc_build_info{version=~"1.*"}')]),
        ("series, regex matcher", "GET", "/api/v1/series", whole + [("match[]", '{__name__=~"mc_request_duration.*",le="+Inf"}')]),
        ("series of a missing metric", "GET", "/api/v1/series", whole + [("match[]", "nonexistent_metric")]),
        ("series without match[]", "GET", "/api/v1/series", whole),
        ("series, bad matcher", "GET", "/api/v1/series", whole + [("match[]", "{job=~\"(\"}")]),
        ("series, empty-matching selector", "GET", "/api/v1/series", whole + [("match[]", '{job=""}')]),
        ("metadata", "GET", "/api/v1/metadata", []),
        ("metadata of a metric", "GET", "/api/v1/metadata", [("metric", "up")]),
        ("query_exemplars", "GET", "/api/v1/query_exemplars", whole + [("query", "up")]),
        ("panel: query_range POST, aligned", "POST", "/api/v1/query_range",
         [("query", "sum by (job) (rate(mc_http_requests_total[5m]))"), ("start", str(a_start)),
          ("end", str(a_end)), ("step", str(step))]),
        ("table: instant query", "GET", "/api/v1/query", [("query", "mc_queue_length"), ("time", f"{end:.3f}")]),
        ("RFC 3339 times with a fraction", "GET", "/api/v1/query_range",
         [("query", "up"), ("start", rfc3339(a_end - 3600)[:-1] + ".250Z"), ("end", rfc3339(a_end)), ("step", "1m")]),
        ("duration step 1m30s", "GET", "/api/v1/query_range",
         [("query", "up"), ("start", str(a_end - 3600)), ("end", str(a_end)), ("step", "1m30s")]),
        ("fractional step seconds", "GET", "/api/v1/query_range",
         [("query", "up"), ("start", str(a_end - 600)), ("end", str(a_end)), ("step", "7.5")]),
        ("instant query timeout parameter", "GET", "/api/v1/query",
         [("query", "up"), ("time", f"{end:.3f}"), ("timeout", "10s")]),
        # Bad input.
        ("bad: parse error", "GET", "/api/v1/query", [("query", "sum(up"), ("time", f"{end:.3f}")]),
        ("bad: unknown function", "GET", "/api/v1/query", [("query", "nope(up)"), ("time", f"{end:.3f}")]),
        ("bad: no query", "GET", "/api/v1/query", [("time", f"{end:.3f}")]),
        ("bad: time", "GET", "/api/v1/query", [("query", "up"), ("time", "yesterday")]),
        ("bad: start", "GET", "/api/v1/query_range", [("query", "up"), ("start", "x"), ("end", str(a_end)), ("step", "60")]),
        ("bad: end before start", "GET", "/api/v1/query_range",
         [("query", "up"), ("start", str(a_end)), ("end", str(a_end - 60)), ("step", "60")]),
        ("bad: step 0", "GET", "/api/v1/query_range", [("query", "up"), ("start", str(a_start)), ("end", str(a_end)), ("step", "0")]),
        ("bad: negative step", "GET", "/api/v1/query_range",
         [("query", "up"), ("start", str(a_start)), ("end", str(a_end)), ("step", "-15")]),
        ("bad: no step", "GET", "/api/v1/query_range", [("query", "up"), ("start", str(a_start)), ("end", str(a_end))]),
        # Prometheus refuses (end - start) / step > 11,000: 11,002 points.
        ("bad: (end - start) / step = 11,001", "GET", "/api/v1/query_range",
         [("query", "up"), ("start", str(a_end - 11001)), ("end", str(a_end)), ("step", "1")]),
        ("(end - start) / step = 11,000 is allowed", "GET", "/api/v1/query_range",
         [("query", "up"), ("start", str(a_end - 11000)), ("end", str(a_end)), ("step", "1")]),
        ("bad: bad timeout", "GET", "/api/v1/query", [("query", "up"), ("timeout", "soon")]),
        ("bad: range query over a range vector", "GET", "/api/v1/query_range",
         [("query", "up[5m]"), ("start", str(a_start)), ("end", str(a_end)), ("step", "60")]),
    ]
    return calls


def canonical(value):
    """Lists sorted (label values, series, ...), so answers compare after sorting."""
    if isinstance(value, dict):
        return {k: canonical(v) for k, v in value.items()}
    if isinstance(value, list):
        items = [canonical(v) for v in value]
        return sorted(items, key=lambda v: json.dumps(v, sort_keys=True))
    return value


def differ_api(what, path, params, reference, tested):
    if reference.get("code") != tested.get("code"):
        return f"HTTP {reference.get('code')} vs {tested.get('code')}"
    if reference.get("status") != tested.get("status"):
        return f"status {reference.get('status')} vs {tested.get('status')}"
    if reference.get("status") != "success":
        if reference.get("errorType") != tested.get("errorType"):
            return f"errorType {reference.get('errorType')} vs {tested.get('errorType')}"
        return None
    if path.endswith("/query") or path.endswith("/query_range"):
        query = dict(params).get("query", "")
        return differ(query, reference, tested)
    a, b = reference.get("data"), tested.get("data")
    if path.endswith("/buildinfo"):
        keys_a = sorted(a.keys()) if isinstance(a, dict) else a
        keys_b = sorted(b.keys()) if isinstance(b, dict) else b
        return None if keys_a == keys_b else f"keys {keys_a} vs {keys_b}"
    if canonical(a) != canonical(b):
        return "data differs after sorting"
    return None


def compare_api(reference_url, tested_url, meta, timeout, names):
    failures, passed = [], 0
    calls = api_calls(meta)
    for what, method, path, params in calls:
        reference = ask_api(reference_url, method, path, params, timeout)
        tested = ask_api(tested_url, method, path, params, timeout)
        reason = differ_api(what, path, params, reference, tested)
        if reason is None:
            passed += 1
        else:
            failures.append({"call": what, "method": method, "path": path, "params": params, "reason": reason,
                             names[0]: clip(reference), names[1]: clip(tested)})
    return passed, len(calls), failures


# --- comparison ----------------------------------------------------------------------
def close(a, b, relative=RELATIVE):
    x, y = float(a), float(b)
    if math.isnan(x) or math.isnan(y):
        return math.isnan(x) and math.isnan(y)
    if math.isinf(x) or math.isinf(y):
        return x == y
    return abs(x - y) <= max(relative * max(abs(x), abs(y)), ABSOLUTE)


def same_time(a, b):
    return round(float(a) * 1000) == round(float(b) * 1000)


def key_of(metric):
    return tuple(sorted(metric.items()))


def ordered(query):
    return re.match(r"^\s*sort(_desc)?\s*\(", query) is not None


def differ(query, reference, tested, relative=RELATIVE):
    """None when the answers agree (values within `relative`), else a short reason."""
    if reference.get("code") != tested.get("code"):
        return f"HTTP {reference.get('code')} vs {tested.get('code')}"
    if reference.get("status") != tested.get("status"):
        return f"status {reference.get('status')} vs {tested.get('status')}"
    if reference.get("status") != "success":
        if reference.get("errorType") != tested.get("errorType"):
            return f"errorType {reference.get('errorType')} vs {tested.get('errorType')}"
        return None
    a, b = reference.get("data") or {}, tested.get("data") or {}
    if a.get("resultType") != b.get("resultType"):
        return f"resultType {a.get('resultType')} vs {b.get('resultType')}"
    kind, ra, rb = a.get("resultType"), a.get("result"), b.get("result")
    if kind in ("scalar", "string"):
        if not isinstance(rb, list) or len(rb) != 2 or not same_time(ra[0], rb[0]):
            return "scalar/string time or shape"
        if kind == "string":
            return None if ra[1] == rb[1] else "string value"
        return None if close(ra[1], rb[1], relative) else f"value {ra[1]} vs {rb[1]}"
    if not isinstance(rb, list):
        return "result is not a list"
    ma = {key_of(s["metric"]): s for s in ra}
    mb = {key_of(s.get("metric", {})): s for s in rb}
    if len(ma) != len(ra) or len(mb) != len(rb):
        return "duplicate label sets in a result"
    if ma.keys() != mb.keys():
        missing = [dict(k) for k in ma.keys() - mb.keys()][:3]
        extra = [dict(k) for k in mb.keys() - ma.keys()][:3]
        return f"series set: {len(ma)} vs {len(mb)}; missing {missing}; extra {extra}"
    for key, series in ma.items():
        other = mb[key]
        if kind == "vector":
            if not same_time(series["value"][0], other["value"][0]):
                return f"{dict(key)}: time {series['value'][0]} vs {other['value'][0]}"
            if not close(series["value"][1], other["value"][1], relative):
                return f"{dict(key)}: value {series['value'][1]} vs {other['value'][1]}"
        else:
            pa, pb = series.get("values", []), other.get("values", [])
            if len(pa) != len(pb):
                return f"{dict(key)}: {len(pa)} points vs {len(pb)}"
            for (ta, va), (tb, vb) in zip(pa, pb):
                if not same_time(ta, tb):
                    return f"{dict(key)}: time {ta} vs {tb}"
                if not close(va, vb, relative):
                    return f"{dict(key)}: at {ta} value {va} vs {vb}"
    if kind == "vector" and ordered(query):
        for position, (sa, sb) in enumerate(zip(ra, rb)):
            if not close(sa["value"][1], sb["value"][1], relative):
                return f"order: position {position}: {sa['value'][1]} vs {sb['value'][1]}"
    return None


def clip(answer, limit=1500):
    shown = {k: v for k, v in answer.items() if k != "seconds"}
    text = json.dumps(shown, sort_keys=True)
    return text if len(text) <= limit else text[:limit] + f"... ({len(text)} chars)"


def compare(reference_url, tested_url, meta, queries_path, full, out_path, timeout, names, budget=None,
            tested_exit=None, restart=None, max_restarts=20):
    """tested_exit: a callable giving the tested server's exit status, or None
    while it runs; restart: a callable that starts it again (up to
    max_restarts times), so one crash does not hide the rest."""
    builtins = {"t_start": f"{meta['start'] + 1800:.3f}", "t_mid": f"{(meta['start'] + meta['end']) / 2:.3f}",
                "t_end": f"{meta['end']:.3f}"}
    queries = expand(queries_path, builtins, first_only=not full)
    requests = requests_for(meta, full)
    print(f"compliance: {len(queries)} queries x {len(requests)} requests each "
          f"({sum(1 for k, _ in requests if k == 'range')} range, "
          f"{sum(1 for k, _ in requests if k == 'instant')} instant), {names[0]} vs {names[1]}", flush=True)
    failures = []
    passed = 0
    request_total = request_passed = 0
    started = time.monotonic()
    not_run = 0
    crashed = None
    crashes = []
    for item in queries:
        query = item["query"]
        if crashed is not None:
            not_run += 1
            failures.append({"query": query, "line": item["line"], "requests_differing": len(requests),
                             "first": {"kind": "-", "params": {}, "reason": "not run: the server had exited",
                                       names[0]: "", names[1]: ""}})
            continue
        if budget is not None and time.monotonic() - started > budget:
            # Out of time: the rest count as differing, said so.
            not_run += 1
            failures.append({"query": query, "line": item["line"], "requests_differing": len(requests),
                             "first": {"kind": "-", "params": {}, "reason": f"not run: the {budget:.0f} s budget ran out",
                                       names[0]: "", names[1]: ""}})
            continue
        problems = []
        for kind, params in requests:
            reference = ask(reference_url, kind, query, params, timeout)
            tested = ask(tested_url, kind, query, params, timeout)
            reason = differ(query, reference, tested)
            request_total += 1
            if reason is None:
                request_passed += 1
            else:
                problems.append({"kind": kind, "params": params, "reason": reason,
                                 names[0]: clip(reference), names[1]: clip(tested)})
        status = None
        if tested_exit:
            status = tested_exit()
            # A request that got no answer: give a dying server a moment to be reaped.
            waited = 0
            while status is None and waited < 10 and any(p.get(names[1], "").find('"code": 0') >= 0
                                                         for p in problems):
                time.sleep(0.1)
                waited += 1
                status = tested_exit()
        if status is not None:
            unanswered = [p for p in problems if p.get(names[1], "").find('"code": 0') >= 0]
            where = unanswered[0] if unanswered else {"kind": "-", "params": {}}
            crashes.append({"query": query, "status": status, "kind": where["kind"], "params": where["params"]})
            print(f"compliance: {names[1]} EXITED with status {status} during: {query} "
                  f"({where['kind']} {json.dumps(where['params'])})", flush=True)
            problems.insert(0, {"kind": where["kind"], "params": where["params"],
                                "reason": f"{names[1]} exited with status {status} during this request",
                                names[0]: "", names[1]: ""})
            if restart is not None and len(crashes) <= max_restarts:
                restart()
            else:
                crashed = crashes[-1]
        if problems:
            failures.append({"query": query, "line": item["line"], "requests_differing": len(problems),
                             "first": problems[0]})
        else:
            passed += 1
    if crashed is None:
        api_passed, api_total, api_failures = compare_api(reference_url, tested_url, meta, timeout, names)
    else:
        api_passed, api_total, api_failures = 0, len(api_calls(meta)), []
    seconds = time.monotonic() - started
    report = {"passed": passed, "total": len(queries), "requests_passed": request_passed,
              "requests_total": request_total, "seconds": round(seconds, 1), "reference": names[0],
              "tested": names[1], "form": "full" if full else "short", "differing": failures,
              "api_passed": api_passed, "api_total": api_total, "api_differing": api_failures,
              "not_run": not_run, "crashed": crashed, "crashes": crashes}
    if out_path:
        with open(out_path, "w", encoding="utf-8") as sink:
            json.dump(report, sink, indent=1)
        with open(os.path.splitext(out_path)[0] + ".txt", "w", encoding="utf-8") as sink:
            write_text_report(report, sink)
    write_text_report(report, sys.stdout, limit=40)
    if out_path:
        print(f"compliance: full report in {out_path} and {os.path.splitext(out_path)[0]}.txt")
    return report


def write_text_report(report, sink, limit=None):
    not_run = f"; {report['not_run']} NOT RUN" if report.get("not_run") else ""
    sink.write(f"passed {report['passed']}/{report['total']} queries "
               f"({report['requests_passed']}/{report['requests_total']} requests) in {report['seconds']} s; "
               f"{report['tested']} against {report['reference']}, {report['form']} form{not_run}\n")
    for crash in report.get("crashes", []):
        sink.write(f"{report['tested']} EXITED with status {crash['status']} during the query {crash['query']} "
                   f"({crash.get('kind')} {json.dumps(crash.get('params'))})\n")
    if report.get("crashed"):
        sink.write(f"after {len(report['crashes'])} exits the rest was not run\n")
    sink.write(f"passed {report['api_passed']}/{report['api_total']} HTTP API calls (Grafana's, bad input)\n")
    if report["differing"]:
        by_line = {}
        for failure in report["differing"]:
            by_line.setdefault(failure["line"], []).append(failure["query"])
        sink.write(f"differing queries by template ({len(by_line)} templates): " + ", ".join(
            f"queries.txt:{line} x{len(found)}" for line, found in sorted(by_line.items())) + "\n")
    for failure in report["api_differing"]:
        sink.write(f"\nAPI DIFFERS: {failure['call']}: {failure['method']} {failure['path']} "
                   f"{json.dumps(failure['params'])}: {failure['reason']}\n"
                   f"  {report['reference']}: {failure[report['reference']]}\n"
                   f"  {report['tested']}: {failure[report['tested']]}\n")
    shown = report["differing"] if limit is None else report["differing"][:limit]
    for failure in shown:
        first = failure["first"]
        sink.write(f"\nDIFFERS ({failure['requests_differing']} requests) queries.txt:{failure['line']}: "
                   f"{failure['query']}\n  first: {first['kind']} {json.dumps(first['params'])}: {first['reason']}\n"
                   f"  {report['reference']}: {first[report['reference']]}\n"
                   f"  {report['tested']}: {first[report['tested']]}\n")
    if limit is not None and len(report["differing"]) > limit:
        sink.write(f"\n... and {len(report['differing']) - limit} more differing queries\n")


# --- self-test: the comparison catches what it must --------------------------------------
def self_test():
    """Planted differences that differ() must catch, and equal answers it must
    pass; returns the number of failures (printed)."""
    def vector(*samples, code=200):
        return {"code": code, "status": "success", "data": {"resultType": "vector", "result": [
            {"metric": m, "value": [t, v]} for m, t, v in samples]}}

    def matrix(*series):
        return {"code": 200, "status": "success", "data": {"resultType": "matrix", "result": [
            {"metric": m, "values": points} for m, points in series]}}

    def error(code, kind):
        return {"code": code, "status": "error", "errorType": kind, "error": "x"}

    a, b = {"job": "a"}, {"job": "b"}
    same = [
        ("equal vectors in another order", "x", vector((a, 1, "1"), (b, 1, "2")), vector((b, 1, "2"), (a, 1, "1"))),
        ("NaN equals NaN", "x", vector((a, 1, "NaN")), vector((a, 1, "NaN"))),
        ("+Inf equals +Inf", "x", vector((a, 1, "+Inf")), vector((a, 1, "+Inf"))),
        ("relative 1e-6 passes", "x", vector((a, 1, "1000000")), vector((a, 1, "1000001"))),
        ("1e-13 next to zero passes", "x", vector((a, 1, "0")), vector((a, 1, "1e-13"))),
        ("time written with trailing zeros", "x", vector((a, 1.5, "1")), vector((a, "1.500", "1"))),
        ("same error type, other message", "x", error(400, "bad_data"), dict(error(400, "bad_data"), error="y")),
        ("warnings are not compared", "x", vector((a, 1, "1")), dict(vector((a, 1, "1")), warnings=["tier 5m"])),
        ("empty matrices", "x", matrix(), matrix()),
    ]
    different = [
        ("relative 2e-5", "x", vector((a, 1, "100000")), vector((a, 1, "100002"))),
        ("NaN against a number", "x", vector((a, 1, "NaN")), vector((a, 1, "1"))),
        ("+Inf against -Inf", "x", vector((a, 1, "+Inf")), vector((a, 1, "-Inf"))),
        ("a missing series", "x", vector((a, 1, "1"), (b, 1, "1")), vector((a, 1, "1"))),
        ("an extra label", "x", vector((a, 1, "1")), vector(({"job": "a", "x": "y"}, 1, "1"))),
        ("__name__ kept", "x", vector((a, 1, "1")), vector(({"job": "a", "__name__": "m"}, 1, "1"))),
        ("another timestamp", "x", vector((a, 1, "1")), vector((a, 1.001, "1"))),
        ("a point missing in a matrix", "x", matrix((a, [[1, "1"], [2, "1"]])), matrix((a, [[1, "1"]]))),
        ("scalar against vector", "x", {"code": 200, "status": "success", "data": {"resultType": "scalar",
                                                                                   "result": [1, "1"]}},
         vector(({}, 1, "1"))),
        ("error against success", "x", error(400, "bad_data"), vector((a, 1, "1"))),
        ("400 against 422", "x", error(400, "bad_data"), error(422, "execution")),
        ("errorType differs", "x", error(422, "execution"), error(422, "bad_data")),
        ("sort order", "sort(x)", vector((a, 1, "1"), (b, 1, "2")), vector((b, 1, "2"), (a, 1, "1"))),
        ("no answer", "x", vector((a, 1, "1")), {"code": 0, "error": "refused"}),
    ]
    failures = 0
    for what, query, x, y in same:
        reason = differ(query, x, y)
        if reason is not None:
            failures += 1
            print(f"SELF-TEST FAILED: {what}: reported as differing ({reason})")
    for what, query, x, y in different:
        if differ(query, x, y) is None:
            failures += 1
            print(f"SELF-TEST FAILED: {what}: not caught")
    if differ_api("labels", "/api/v1/labels", [], {"code": 200, "status": "success", "data": ["b", "a"]},
                  {"code": 200, "status": "success", "data": ["a", "b"]}) is not None:
        failures += 1
        print("SELF-TEST FAILED: label lists in another order reported as differing")
    if differ_api("labels", "/api/v1/labels", [], {"code": 200, "status": "success", "data": ["a", "b"]},
                  {"code": 200, "status": "success", "data": ["a"]}) is None:
        failures += 1
        print("SELF-TEST FAILED: a missing label name not caught")
    total = len(same) + len(different) + 2
    print(f"self-test: {total - failures}/{total} cases as expected")
    return failures


# --- run: data, servers, compare ---------------------------------------------------------
def generate(work, form, end):
    om = os.path.join(work, f"promql-{form}.om")
    argv = [sys.executable, os.path.join(REPO, "tests", "tools", "promql_testdata.py"), om] + FORMS[form]["data"]
    if end is not None:
        argv += ["--end", str(end)]
    subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, timeout=600)
    with open(os.path.splitext(om)[0] + ".json", encoding="utf-8") as meta:
        return om, json.load(meta)


def restart(server):
    """Starts the tested daemon again after it exited (its store as it was)."""
    server.process = None
    if server.log_file:
        server.log_file.close()
    # The same port, so the tested URL stays; the log is appended to.
    server.start()


def run(args):
    for tool in ("prometheus", "promtool"):
        if shutil.which(tool) is None:
            print(f"SKIP: {tool} is not installed (Debian: apt-get install prometheus)")
            return 77
    if args.tested == "vm" and shutil.which("victoria-metrics") is None:
        print("SKIP: victoria-metrics is not installed")
        return 77
    if args.tested == "ours" and not (args.ours and os.access(args.ours, os.X_OK)):
        print(f"compliance: the daemon binary {args.ours!r} is missing (--ours)", file=sys.stderr)
        return 2
    os.makedirs(args.work, exist_ok=True)
    om, meta = generate(args.work, args.form, args.end)
    print(f"compliance: data {meta['series']} series, {meta['samples']} samples, "
          f"{meta['start']:.3f}..{meta['end']:.3f}", flush=True)
    reference = servers.Prometheus(args.work)
    if args.tested == "vm":
        tested = servers.VictoriaMetrics(args.work)
    elif args.tested == "prometheus":
        tested = servers.Prometheus(os.path.join(args.work, "second"))
        tested.name = "prometheus-2"
        os.makedirs(tested.work, exist_ok=True)
    else:
        tested = servers.MetricsCollector(args.work, args.ours)
    started = []
    try:
        reference.load(om)
        reference.start()
        started.append(reference)
        if args.tested == "vm":
            tested.start()
            started.append(tested)
            tested.load(om)
        elif args.tested == "prometheus":
            tested.load(om)
            tested.start()
            started.append(tested)
        else:
            tested.load(om)
            tested.start()
            started.append(tested)
            probe = ask(tested.url, "instant", "1", {"time": "0"}, 10)
            if probe.get("code") == 404:
                print("SKIP: the daemon has no /api/v1/query yet (HTTP 404)")
                return 77
        report = compare(reference.url, tested.url, meta, args.queries, FORMS[args.form]["full_set"], args.out,
                         args.timeout, ("prometheus", tested.name), args.budget,
                         lambda: tested.process.poll() if tested.process else None,
                         lambda: restart(tested), args.max_restarts)
    finally:
        for server in reversed(started):
            server.stop()
    return 0 if passed_all(report) else 1


def passed_all(report):
    return report["passed"] == report["total"] and report["api_passed"] == report["api_total"]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    run_parser = sub.add_parser("run")
    run_parser.add_argument("--form", choices=FORMS, default="short")
    run_parser.add_argument("--work", required=True)
    run_parser.add_argument("--ours", help="the metrics-collector binary")
    run_parser.add_argument("--tested", choices=["ours", "vm", "prometheus"], default="ours",
                            help="the server compared with Prometheus (vm, prometheus: checks of the harness)")
    run_parser.add_argument("--max-restarts", type=int, default=20,
                            help="times the tested daemon is started again after it exits")
    run_parser.add_argument("--end", type=int, help="last scrape slot of the data (Unix s; default: 1 h ago)")
    compare_parser = sub.add_parser("compare")
    compare_parser.add_argument("--reference", required=True)
    compare_parser.add_argument("--tested", required=True)
    compare_parser.add_argument("--meta", required=True)
    compare_parser.add_argument("--form", choices=FORMS, default="short")
    for p in (run_parser, compare_parser):
        p.add_argument("--queries", default=os.path.join(HERE, "queries.txt"))
        p.add_argument("--out", help="JSON report (and a .txt beside it)")
        p.add_argument("--timeout", type=float, default=60, help="seconds per request")
        p.add_argument("--budget", type=float, default=None,
                       help="seconds for all queries; those left when it runs out count as differing")
    sub.add_parser("self-test", help="planted differences the comparison must catch (no servers)")
    args = parser.parse_args()
    if args.command == "self-test":
        return 1 if self_test() else 0
    try:
        if args.command == "run":
            return run(args)
        with open(args.meta, encoding="utf-8") as meta:
            report = compare(args.reference, args.tested, json.load(meta), args.queries,
                             FORMS[args.form]["full_set"], args.out, args.timeout, ("reference", "tested"),
                             args.budget)
        return 0 if passed_all(report) else 1
    except (RuntimeError, subprocess.SubprocessError, OSError) as error:
        print(f"compliance: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
