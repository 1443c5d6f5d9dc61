"""The three servers of the PromQL compliance harness and the query benchmark,
each started on 127.0.0.1 on a free port over one OpenMetrics file:

  Prometheus 2.42  promtool tsdb create-blocks-from openmetrics FILE DIR, then
                   prometheus --storage.tsdb.path=DIR with a config that scrapes
                   nothing
  metrics-collector  metrics-collector store import --openmetrics FILE --dir DIR,
                   then the daemon on that store with a config that scrapes nothing
  VictoriaMetrics  its /api/v1/import/prometheus (timestamps in ms, converted by
                   bench/store/openmetrics_to_vm_import.py), then /internal/force_flush

python3 standard library only. Every wait is bounded; stop() ends only the
process this module started, by its pid.
"""

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def http_get(url, timeout=10):
    with urllib.request.urlopen(url, timeout=timeout) as response:
        return response.status, response.read()


def log(message):
    print(f"servers: {message}", file=sys.stderr, flush=True)


def split_by_block(om_file, directory, block_ms=7_200_000):
    """Writes the samples of each 2 h block of om_file (timestamps in seconds,
    last on the line) to its own OpenMetrics file; returns their paths."""
    shutil.rmtree(directory, ignore_errors=True)
    os.makedirs(directory)
    sinks, paths, closed = {}, [], set()
    with open(om_file, encoding="utf-8") as source:
        for line in source:
            if line.startswith("#"):
                continue
            seconds, _, fraction = line.rsplit(" ", 1)[1].strip().partition(".")
            block = (int(seconds) * 1000 + int((fraction + "000")[:3])) // block_ms
            sink = sinks.get(block)
            if sink is None:
                if block in closed:
                    raise RuntimeError(f"{om_file}: a sample of block {block} after later blocks were written")
                path = os.path.join(directory, f"{block}.om")
                sink = sinks[block] = open(path, "w", encoding="utf-8", buffering=1 << 20)
                paths.append(path)
                # Lines come nearly in time order: blocks two behind are done.
                for old in [b for b in sinks if b < block - 1]:
                    done = sinks.pop(old)
                    done.write("# EOF\n")
                    done.close()
                    closed.add(old)
            sink.write(line)
    for sink in sinks.values():
        sink.write("# EOF\n")
        sink.close()
    return paths


class Server:
    name = "server"

    def __init__(self, work):
        self.work = work
        self.process = None
        self.port = None
        self.log_file = None

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"

    def _spawn(self, argv, ready_path, timeout=60):
        self.port = self.port or free_port()
        self.log_file = open(os.path.join(self.work, f"{self.name}.log"), "ab")
        self.process = subprocess.Popen(argv, stdout=self.log_file, stderr=subprocess.STDOUT,
                                        stdin=subprocess.DEVNULL)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name} exited with {self.process.returncode}; see {self.log_file.name}")
            try:
                status, _ = http_get(self.url + ready_path, timeout=2)
                if status == 200:
                    return
            except (urllib.error.URLError, ConnectionError, OSError):
                pass
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"{self.name} not ready within {timeout} s; see {self.log_file.name}")

    def pid(self):
        return self.process.pid if self.process else None

    def stop(self):
        if not self.process:
            return
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                log(f"{self.name} did not stop within 30 s; killing pid {self.process.pid}")
                self.process.kill()
                self.process.wait(timeout=10)
        self.process = None
        if self.log_file:
            self.log_file.close()

    def rss_kib(self):
        """(VmRSS, VmHWM) of the server process in KiB."""
        values = {}
        with open(f"/proc/{self.process.pid}/status", encoding="ascii") as status:
            for line in status:
                key, _, rest = line.partition(":")
                if key in ("VmRSS", "VmHWM"):
                    values[key] = int(rest.split()[0])
        return values.get("VmRSS", 0), values.get("VmHWM", 0)

    def reset_peak_rss(self):
        """Resets VmHWM to the current RSS (Linux: 5 > /proc/PID/clear_refs). False if not allowed."""
        try:
            with open(f"/proc/{self.process.pid}/clear_refs", "w", encoding="ascii") as refs:
                refs.write("5")
            return True
        except OSError:
            return False


class Prometheus(Server):
    name = "prometheus"

    def __init__(self, work, binary="prometheus", promtool="promtool"):
        super().__init__(work)
        self.binary = binary
        self.promtool = promtool
        self.data = os.path.join(work, "prometheus-data")

    def load(self, om_file, timeout=3600):
        """promtool, once per 2 h block: promtool 2.42 reads the whole file again
        for every 2 h block it writes, so a file of days is split first by the
        2 h (epoch-aligned) block of each sample's timestamp. Returns seconds."""
        shutil.rmtree(self.data, ignore_errors=True)
        os.makedirs(self.data)
        started = time.monotonic()
        parts = split_by_block(om_file, os.path.join(self.work, "promtool-parts"))
        try:
            for part in parts:
                result = subprocess.run([self.promtool, "tsdb", "create-blocks-from", "openmetrics", "--quiet", part,
                                         self.data], capture_output=True, text=True, timeout=timeout)
                if result.returncode != 0:
                    raise RuntimeError(f"promtool failed on {part}: {result.stdout[-500:]} {result.stderr[-500:]}")
                os.unlink(part)
        finally:
            shutil.rmtree(os.path.join(self.work, "promtool-parts"), ignore_errors=True)
        return time.monotonic() - started

    def start(self, lookback="5m"):
        config = os.path.join(self.work, "prometheus.yml")
        with open(config, "w", encoding="utf-8") as out:
            out.write("global:\n  scrape_interval: 15s\n  evaluation_interval: 1m\nscrape_configs: []\n")
        self.port = self.port or free_port()
        self._spawn([self.binary, f"--config.file={config}", f"--storage.tsdb.path={self.data}",
                     f"--web.listen-address=127.0.0.1:{self.port}",
                     "--storage.tsdb.retention.time=3650d", f"--query.lookback-delta={lookback}",
                     "--log.level=warn"], "/-/ready")


class MetricsCollector(Server):
    name = "metrics-collector"

    def __init__(self, work, binary):
        super().__init__(work)
        self.binary = binary
        self.data = os.path.join(work, "mc-store")

    def load(self, om_file, timeout=1800):
        shutil.rmtree(self.data, ignore_errors=True)
        started = time.monotonic()
        result = subprocess.run([self.binary, "store", "import", "--openmetrics", om_file, "--dir", self.data],
                                capture_output=True, text=True, timeout=timeout)
        if result.returncode != 0:
            raise RuntimeError(f"store import failed: {result.stdout[-500:]} {result.stderr[-500:]}")
        return time.monotonic() - started

    def start(self, raw_retention="3650d"):
        config = os.path.join(self.work, "metrics-collector.yml")
        # Scrapes nothing; raw samples kept long enough that the compared data
        # is all raw (the lower tiers must be coarser and kept at least as long).
        with open(config, "w", encoding="utf-8") as out:
            out.write("global:\n  scrape_interval: 15s\n  scrape_timeout: 10s\nscrape_configs: []\n"
                      "storage:\n  tiers:\n"
                      f"    - resolution: raw\n      retention: {raw_retention}\n"
                      f"    - resolution: 5m\n      retention: {raw_retention}\n"
                      f"    - resolution: 1h\n      retention: {raw_retention}\n")
        self.port = self.port or free_port()
        self._spawn([self.binary, f"--config.file={config}", f"--storage.path={self.data}",
                     f"--web.listen-address=127.0.0.1:{self.port}", "--log.level=warn"], "/-/ready")


class VictoriaMetrics(Server):
    name = "victoria-metrics"

    def __init__(self, work, binary="victoria-metrics"):
        super().__init__(work)
        self.binary = binary
        self.data = os.path.join(work, "vm-data")

    def start(self, staleness="5m", keep=False):
        """Starts on an empty data directory, or with keep=True on what is there."""
        if not keep:
            shutil.rmtree(self.data, ignore_errors=True)
        self.port = self.port or free_port()
        # No result cache (each repetition computes), no self-scrape, and the
        # staleness interval at Prometheus's lookback so more answers agree.
        self._spawn([self.binary, f"-storageDataPath={self.data}",
                     f"-httpListenAddr=127.0.0.1:{self.port}", "-retentionPeriod=100y",
                     "-loggerLevel=WARN", "-search.disableCache", "-selfScrapeInterval=0",
                     f"-search.maxStalenessInterval={staleness}"], "/health")

    def load(self, om_file, timeout=1800):
        """Imports the file (after start()); returns seconds until every row is searchable."""
        converted = om_file + ".vm.prom"
        started = time.monotonic()
        subprocess.run([sys.executable, os.path.join(REPO, "bench", "store", "openmetrics_to_vm_import.py"),
                        om_file, converted], check=True, capture_output=True, timeout=timeout)
        with open(converted, "rb") as body:
            request = urllib.request.Request(self.url + "/api/v1/import/prometheus", data=body, method="POST")
            request.add_header("Content-Length", str(os.path.getsize(converted)))
            with urllib.request.urlopen(request, timeout=timeout) as response:
                if response.status != 204:
                    raise RuntimeError(f"victoria-metrics import answered {response.status}")
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline:
            http_get(self.url + "/internal/force_flush", timeout=30)
            _, body = http_get(self.url + "/metrics", timeout=10)
            pending = sum(float(line.split()[-1]) for line in body.decode().splitlines()
                          if line.startswith('vm_pending_rows{type="storage"}'))
            if pending == 0:
                break
            time.sleep(0.5)
        os.unlink(converted)
        return time.monotonic() - started
