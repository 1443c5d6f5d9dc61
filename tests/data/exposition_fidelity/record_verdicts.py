#!/usr/bin/env python3
"""Measures what the real promtool and the real Prometheus 2.42 scraper do
with each case, and prints verdicts.tsv (redirect it there to re-record).

promtool: `promtool check metrics < case`; exit 1 ("error while linting")
is a parse error, "fail"; 0 and 3 (lint problems only) are "pass".
Prometheus: one server on 127.0.0.1 scrapes every case as its own target
(a small HTTP server here serves each file as text/plain; version=0.0.4);
after each target's first scrapes, `up`, `scrape_samples_scraped`, the
target's lastError and the number of series stored for it (minus the five
report series) are read from its HTTP API.

Usage: record_verdicts.py > verdicts.tsv   (promtool and prometheus on PATH)
"""
import http.server
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
REPORT_SERIES = 5  # up, scrape_duration_seconds, scrape_samples_*, scrape_series_added


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def promtool_verdict(path):
    with open(path, "rb") as f:
        r = subprocess.run(["promtool", "check", "metrics"], stdin=f, capture_output=True, timeout=60)
    if r.returncode == 1:
        msg = r.stderr.decode(errors="replace").strip().splitlines()[-1]
        return "fail", msg.removeprefix("error while linting: ")
    if r.returncode in (0, 3):
        return "pass", ""
    raise SystemExit(f"{path}: promtool exited {r.returncode}")


class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        name = urllib.parse.unquote(self.path.lstrip("/"))
        if "/" in name or not name.endswith(".prom"):
            self.send_error(404)
            return
        with open(os.path.join(HERE, name), "rb") as f:
            body = f.read()
        self.send_response(200)
        self.send_header("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        try:
            self.wfile.write(body)
        except BrokenPipeError:  # Prometheus gave up on a scrape (shutdown, timeout)
            pass

    def log_message(self, *args):
        pass


def api(port, path, **params):
    url = f"http://127.0.0.1:{port}{path}?" + urllib.parse.urlencode(params)
    with urllib.request.urlopen(url, timeout=10) as r:
        return json.load(r)["data"]


def prometheus_verdicts(cases):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    target = f"127.0.0.1:{server.server_address[1]}"
    port = free_port()
    tmp = tempfile.mkdtemp()
    groups = [{"targets": [target], "labels": {"__metrics_path__": "/" + c, "case": c}} for c in cases]
    config = {"global": {"scrape_interval": "1s", "scrape_timeout": "1s"},
              "scrape_configs": [{"job_name": "fidelity", "static_configs": groups}]}
    with open(os.path.join(tmp, "prometheus.yml"), "w") as f:
        json.dump(config, f)  # JSON is YAML
    proc = subprocess.Popen(["prometheus", f"--config.file={tmp}/prometheus.yml",
                             f"--storage.tsdb.path={tmp}/data", f"--web.listen-address=127.0.0.1:{port}"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.time() + 60
        while True:
            try:
                targets = api(port, "/api/v1/targets")["activeTargets"]
                if len(targets) == len(cases) and all(t["lastScrape"] > "2000" for t in targets):
                    break
            except OSError:
                pass
            if time.time() > deadline:
                raise SystemExit("Prometheus did not scrape every case within 60 s")
            time.sleep(0.5)
        time.sleep(2.5)  # a few scrapes each, so the report series are stored
        targets = {t["labels"]["case"]: t for t in api(port, "/api/v1/targets")["activeTargets"]}
        up = {r["metric"]["case"]: r["value"][1] for r in api(port, "/api/v1/query", query="up")["result"]}
        scraped = {r["metric"]["case"]: r["value"][1]
                   for r in api(port, "/api/v1/query", query="scrape_samples_scraped")["result"]}
        result = {}
        for c in cases:
            series = api(port, "/api/v1/series", **{"match[]": f'{{case="{c}"}}', "start": "-100000000",
                                                    "end": str(time.time() + 100000000)})
            result[c] = (up[c], scraped[c], len(series) - REPORT_SERIES, targets[c]["lastError"])
        return result
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        server.shutdown()
        shutil.rmtree(tmp, ignore_errors=True)


def main():
    cases = sorted(f for f in os.listdir(HERE) if f.endswith(".prom"))
    notes = {}
    if os.path.exists(os.path.join(HERE, "verdicts.tsv")):
        for line in open(os.path.join(HERE, "verdicts.tsv"), encoding="utf-8"):
            if not line.startswith("#") and line.strip():
                fields = line.rstrip("\n").split("\t")
                notes[fields[0]] = fields[-1]
    scraper = prometheus_verdicts(cases)
    print("# Measured by record_verdicts.py. prometheus_error is the target's lastError; the text"
          " Prometheus 2.42 quotes in it is at times another scrape's bytes (it reuses its read"
          " buffer), so it varies between runs while the verdicts do not.")
    print("# case\tpromtool\tprometheus_up\tprometheus_samples_scraped\tprometheus_series_stored"
          "\tpromtool_error\tprometheus_error\tnote")
    for c in cases:
        verdict, message = promtool_verdict(os.path.join(HERE, c))
        up, scraped, stored, error = scraper[c]
        clean = lambda s: s.replace("\t", " ").replace("\n", " ")
        print("\t".join([c, verdict, up, scraped, str(stored), clean(message) or "-", clean(error) or "-",
                         notes.get(c, "-")]))


if __name__ == "__main__":
    sys.exit(main())
