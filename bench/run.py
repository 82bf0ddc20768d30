#!/usr/bin/env python3
"""apiota under load, side by side with nginx serving the same bytes.

Starts apiota on a temporary data folder filled with enrolled devices and a
release, starts nginx on the same box serving the same JSON bodies and the
same firmware file statically (sendfile), and drives both with wrk using the
Lua scripts in bench/lua (every request a different device with its own
secret). Scenarios are repeated and interleaved (apiota, nginx, apiota, ...)
and the medians are printed as one table with the ratio to nginx and apiota's
peak RSS. With --tls the same comparison runs over HTTPS, both servers
terminating TLS with one certificate. Everything listens on 127.0.0.1 and
stops by itself.

The harness checks what it measures: a scenario whose answers are not the
expected ones (wrong status codes, connection errors) or a write that wrk saw
acknowledged but the database does not hold makes it exit non-zero. Timing
never does: the benchmark reports, it does not judge.

bench/run.sh builds a Release binary and calls this; see bench/README.md.
"""

import argparse
import json
import os
import platform
import resource
import shutil
import socket
import sqlite3
import ssl
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
import uuid

HERE = os.path.dirname(os.path.abspath(__file__))
LUA = os.path.join(HERE, "lua")
FIRMWARE_BYTES = 1536 * 1024
RANGE_CHUNK = 64 * 1024
UPLOAD_BYTES = 16 * 1024 * 1024
# apiota's TLS 1.2 suites in its order (src/http/tls_context.cpp), so nginx
# negotiates the same ones.
APIOTA_TLS12_CIPHERS = ("ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:"
                        "ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run(cmd, **kw):
    return subprocess.run(cmd, check=True, capture_output=True, text=True, **kw).stdout


def rss_kib(pid, field):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0


def reset_peak_rss(pid):
    # Writing 5 to clear_refs resets VmHWM to the current RSS (Linux >= 4.0).
    try:
        with open(f"/proc/{pid}/clear_refs", "w") as f:
            f.write("5")
    except OSError:
        pass


def http(method, url, body=None, headers=None, timeout=30, context=None):
    req = urllib.request.Request(url, data=body, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=timeout, context=context) as res:
            return res.status, dict(res.headers), res.read()
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), e.read()


def multipart(fields, file_bytes):
    boundary = uuid.uuid4().hex
    parts = []
    for name, value in fields.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
    parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="fw.bin"\r\n'
                 f"Content-Type: application/octet-stream\r\n\r\n".encode())
    parts.append(file_bytes)
    parts.append(f"\r\n--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


class Apiota:
    """One apiota server on its own data folder with `devices` enrolled.

    It runs with the default configuration, access log included: its standard
    output goes to a file, as in a deployment. Only the per-address rate limit
    is off (see bench/README.md). access_log=False turns the log off; `tls`
    (a Certificate) makes it serve HTTPS with that chain and key.
    """

    def __init__(self, binary, image_tool, root, devices, name, access_log=True, tls=None, store=None,
                 fleet_from=None):
        self.binary, self.name, self.root, self.devices = binary, name, os.path.join(root, name), devices
        self.data = os.path.join(self.root, "data")
        self.store = store  # a PostgreSQL URI (--store), or None for SQLite in the data folder
        os.makedirs(self.root)
        if fleet_from is not None:
            # A further node of fleet_from's store: its server key, its fleet.
            os.makedirs(self.data, mode=0o700)
            shutil.copy2(os.path.join(fleet_from.data, "secret.key"), self.data)
        self.port = free_port()
        self.base = f"{'https' if tls else 'http'}://127.0.0.1:{self.port}"
        self.client_tls = tls.client if tls else None
        with open(os.path.join(self.root, "apiota.toml"), "w") as f:
            f.write(f'public_url = "{self.base}"\n')
            if not access_log:
                f.write("access_log = false\n")
        self.log = open(os.path.join(self.root, "server.log"), "w")
        # Only `serve` makes a data folder: start it first, then enrol the
        # fleet with the CLI while it runs (as an operator would).
        tls_args = ["--tls-cert", tls.chain, "--tls-key", tls.key] if tls else []
        self.proc = subprocess.Popen(
            [binary, "serve", "--data", self.data, "--listen", f"127.0.0.1:{self.port}", "--rate-limit", "off",
             "--config", os.path.join(self.root, "apiota.toml"), *tls_args, *self.store_args()],
            stdout=self.log, stderr=subprocess.STDOUT)
        try:
            wait_until_up(self.base + "/api/health", self.proc, context=self.client_tls)
            if fleet_from is None:
                self.enrol()
                self.publish_release(image_tool)
            else:
                for shared in ("admin_key", "pk_key", "firmware", "release_id", "import_seconds"):
                    setattr(self, shared, getattr(fleet_from, shared))
        except BaseException:
            self.stop()  # the caller never gets this object to stop
            raise

    def store_args(self):
        return ["--store", self.store] if self.store else []

    def enrol(self):
        self.cli("projects", "plan", "default", "--max-devices", str(self.devices + 10_000_000),
                 "--max-firmware-bytes", str(32 * 1024 * 1024))
        self.admin_key = self.key("admin")
        self.pk_key = self.key("provision")
        csv_path = os.path.join(self.root, "devices.csv")
        with open(csv_path, "w") as f:
            for i in range(self.devices):
                f.write(f"bench-{i},bench-secret-{i}-0000,1.0.0\n")
        started = time.monotonic()
        self.cli("devices", "import", csv_path)
        self.import_seconds = time.monotonic() - started
        os.remove(csv_path)

    def publish_release(self, image_tool):
        image = os.path.join(self.root, "fw-1.1.0.bin")
        run([image_tool, image, "1.1.0", str(FIRMWARE_BYTES)])
        with open(image, "rb") as f:
            self.firmware = f.read()
        self.release_id = self.upload(self.firmware, "1.1.0")
        self.admin("PATCH", f"/api/admin/releases/{self.release_id}", {"rollout_percent": 50})
        self.admin("PUT", "/api/admin/config", {"interval_ms": 300000, "log_level": "info", "mqtt": "mqtt.example"})

    def cli(self, *args):
        return run([self.binary, *args, "--data", self.data, *self.store_args()])

    def key(self, role):
        out = self.cli("keys", "create", "--role", role)
        return next(w for w in out.split() if w.startswith("pk_live_"))

    def admin(self, method, path, body):
        status, _, text = http(method, self.base + path, json.dumps(body).encode(),
                               {"Authorization": f"Bearer {self.admin_key}", "Content-Type": "application/json"},
                               context=self.client_tls)
        if status != 200:
            raise RuntimeError(f"{method} {path}: {status} {text[:200]!r}")
        return json.loads(text)

    def upload(self, image, version):
        body, content_type = multipart({"version": version}, image)
        status, _, text = http("POST", self.base + "/api/firmware/upload", body,
                               {"Authorization": f"Bearer {self.admin_key}", "Content-Type": content_type},
                               context=self.client_tls)
        if status != 200:
            raise RuntimeError(f"upload {version}: {status} {text[:200]!r}")
        return json.loads(text)["id"]

    def offered_answer(self):
        """A check-update answer offering the release, and its body bytes."""
        for i in range(self.devices):
            if i % 4 == 0:
                continue
            path = f"/api/check-update?device_id=bench-{i}&version=1.0.0&device_secret=bench-secret-{i}-0000"
            status, _, body = http("GET", self.base + path, context=self.client_tls)
            if status == 200 and json.loads(body).get("update"):
                return json.loads(body), body
        raise RuntimeError("no device was offered the release")

    def firmware_path(self):
        """The path (with this server's download token) of an offered firmware URL."""
        answer, _ = self.offered_answer()
        return answer["url"][len(self.base):]

    def config_answer(self):
        path = "/api/config?device_id=bench-1&device_secret=bench-secret-1-0000"
        status, headers, body = http("GET", self.base + path, context=self.client_tls)
        if status != 200:
            raise RuntimeError(f"config: {status}")
        return headers.get("ETag", ""), body

    def count(self, table):
        if self.store:
            return int(run(["psql", "-XAtq", "-d", self.store, "-c", f"SELECT COUNT(*) FROM {table}"]).strip())
        with sqlite3.connect(f"file:{self.data}/apiota.db?mode=ro", uri=True) as db:
            return db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]

    def stop(self):
        stop_process(self.proc, self.log)


class Nginx:
    """nginx serving apiota's answers as static files, with sendfile; with
    `tls` (a Certificate), over HTTPS as apiota serves it (docs/tls.md): the
    same chain and key, protocols, TLS 1.2 suites in the server's order,
    groups, and session cache and tickets for 24 hours."""

    NO_WRITE = '{"success":true,"id":1,"status":"downloading","received_at":"2026-01-01T00:00:00Z"}'

    def __init__(self, root, check_body, config_body, firmware_path, firmware, tls=None, name="nginx"):
        self.root = os.path.join(root, name)
        static = os.path.join(self.root, "static")
        os.makedirs(os.path.join(static, os.path.dirname(firmware_path.lstrip("/"))))
        with open(os.path.join(static, "check.json"), "wb") as f:
            f.write(check_body)
        with open(os.path.join(static, "config.json"), "wb") as f:
            f.write(config_body)
        with open(os.path.join(static, firmware_path.lstrip("/")), "wb") as f:
            f.write(firmware)
        self.port = free_port()
        self.base = f"{'https' if tls else 'http'}://127.0.0.1:{self.port}"
        self.client_tls = tls.client if tls else None
        # KTLS: OpenSSL then hands the record encryption to the kernel when
        # it can, and nginx's sendfile works over TLS (bench/README.md).
        tls_conf = f"""
    ssl_certificate {tls.chain};
    ssl_certificate_key {tls.key};
    ssl_protocols TLSv1.2 TLSv1.3;
    ssl_ciphers {APIOTA_TLS12_CIPHERS};
    ssl_prefer_server_ciphers on;
    ssl_ecdh_curve X25519:prime256v1:secp384r1;
    ssl_session_cache shared:SSL:10m;
    ssl_session_tickets on;
    ssl_session_timeout 24h;
    ssl_conf_command Options KTLS;""" if tls else ""
        conf = os.path.join(self.root, "nginx.conf")
        with open(conf, "w") as f:
            f.write(f"""
user root;
worker_processes auto;
daemon off;
pid {self.root}/nginx.pid;
error_log {self.root}/error.log warn;
events {{ worker_connections 4096; }}
http {{
  access_log off;
  sendfile on;
  tcp_nopush on;
  tcp_nodelay on;
  keepalive_requests 1000000;
  keepalive_timeout 60s;
  client_body_temp_path {self.root}/body;
  proxy_temp_path {self.root}/proxy;
  fastcgi_temp_path {self.root}/fastcgi;
  uwsgi_temp_path {self.root}/uwsgi;
  scgi_temp_path {self.root}/scgi;
  server {{
    listen 127.0.0.1:{self.port}{" ssl" if tls else ""};{tls_conf}
    root {static};
    location = /api/check-update {{ default_type application/json; try_files /check.json =404; }}
    location = /api/config {{ default_type application/json; try_files /config.json =404; }}
    location = /api/register {{ default_type application/json; return 200 '{self.NO_WRITE}'; }}
    location = /api/ota-log {{ default_type application/json; return 200 '{self.NO_WRITE}'; }}
    location /api/firmware/ {{ default_type application/octet-stream; }}
  }}
}}
""")
        self.log = open(os.path.join(self.root, "stdout.log"), "w")
        self.proc = subprocess.Popen(["nginx", "-c", conf, "-p", self.root], stdout=self.log, stderr=subprocess.STDOUT)
        try:
            wait_until_up(self.base + "/api/check-update", self.proc, context=self.client_tls)
        except BaseException:
            self.stop()
            raise

    def etag(self):
        _, headers, _ = http("GET", self.base + "/api/config", context=self.client_tls)
        return headers.get("ETag", "")

    def stop(self):
        stop_process(self.proc, self.log)


def stop_process(proc, log):
    """Stops a server this harness started: SIGTERM, then SIGKILL after 20 s."""
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
    log.close()


def wait_until_up(url, proc, seconds=30, context=None):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"{url}: the server exited with {proc.returncode}")
        try:
            http("GET", url, timeout=2, context=context)
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"{url} did not come up")


def wrk(base, script, args, connections, duration):
    cmd = ["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "--timeout", "10s", "-s",
           os.path.join(LUA, script), base, "--", *[str(a) for a in args]]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True, env={**os.environ, "BENCH_LUA": LUA},
                         timeout=duration + 60).stdout
    return with_rates(json.loads(next(l for l in out.splitlines() if l.startswith("{"))))


def with_rates(r):
    """A load generator's JSON line (lua/common.lua's fields) with its rates and error total."""
    r["rps"] = r["requests"] / (r["duration_us"] / 1e6)
    r["mibps"] = r["bytes"] / (r["duration_us"] / 1e6) / 2**20
    r["errors"] = r["errors_connect"] + r["errors_read"] + r["errors_write"] + r["errors_timeout"]
    return r


class Scenario:
    def __init__(self, name, script, apiota_args, nginx_args, connections, writes=None, throughput=False, ab=False,
                 compare=False, console=False):
        self.name, self.script, self.connections = name, script, connections
        self.apiota_args, self.nginx_args = apiota_args, nginx_args
        self.writes = writes  # table whose rows must cover every acknowledged request
        self.throughput = throughput  # report MiB/s rather than req/s
        self.ab = ab  # run in the access-log A/B (--access-log-ab)
        self.compare = compare  # run in the A/B against another binary (--baseline)
        self.console = console  # run in the open-console A/B (--consoles)
        self.apiota, self.nginx, self.rss = [], [], []


def median(values):
    return statistics.median(values) if values else float("nan")


def measure(scenarios, server, nginx, reps, duration, problems):
    for rep in range(reps):
        for s in scenarios:
            before = server.count(s.writes) if s.writes else 0
            reset_peak_rss(server.proc.pid)
            a = wrk(server.base, s.script, s.apiota_args(rep, server), s.connections, duration)
            s.rss.append(rss_kib(server.proc.pid, "VmHWM"))
            s.apiota.append(a)
            check_answers(s.name, server, s.writes, before, a, problems)
            n = wrk(nginx.base, s.script, s.nginx_args(rep), s.connections, duration)
            s.nginx.append(n)
            if n["errors_status"] or n["errors"]:
                problems.append(f"{s.name}: nginx answered {n['errors_status']} error statuses")


def check_answers(name, server, table, before, result, problems):
    """Notes in `problems` error answers in a wrk result, and, when the
    scenario writes to `table` (which held `before` rows), writes that were
    acknowledged but are not stored."""
    if result["errors_status"] or result["errors"]:
        problems.append(f"{name}: {result['errors_status']} error statuses, {result['errors']} socket errors/timeouts")
    if table:
        time.sleep(0.2)
        stored = server.count(table) - before
        acked = result["requests"] - result["errors_status"]
        if stored < acked:
            problems.append(f"{name}: {acked} writes acknowledged but {stored} stored")


def fmt_ms(us):
    return f"{us / 1000:.2f}"


def table(scenarios):
    rows = ["| scenario | apiota | p50 ms | p99 ms | nginx | p50 ms | p99 ms | ratio | apiota peak RSS |",
            "|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for s in scenarios:
        key = "mibps" if s.throughput else "rps"
        unit = " MiB/s" if s.throughput else " req/s"
        a, n = median([r[key] for r in s.apiota]), median([r[key] for r in s.nginx])
        rows.append(f"| {s.name} | {a:,.0f}{unit} | {fmt_ms(median([r['p50_us'] for r in s.apiota]))} | "
                    f"{fmt_ms(median([r['p99_us'] for r in s.apiota]))} | {n:,.0f}{unit} | "
                    f"{fmt_ms(median([r['p50_us'] for r in s.nginx]))} | {fmt_ms(median([r['p99_us'] for r in s.nginx]))} | "
                    f"{a / n:.2f} | {max(s.rss) / 1024:.0f} MiB |")
    return "\n".join(rows)


def cpu_seconds(pid):
    """User + system CPU time of a process, all its threads."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def interleaved_ab(scenarios, first, second, labels, reps, duration, problems):
    """The same scenarios against two servers with the same devices,
    interleaved (which goes first alternates); a table of medians, the
    servers' CPU time per request and the ratio first / second."""
    results = {s.name: ([], []) for s in scenarios}
    for rep in range(reps):
        for s in scenarios:
            pairs = list(zip((first, second), results[s.name]))
            for server, runs in pairs if rep % 2 == 0 else reversed(pairs):
                cpu = cpu_seconds(server.proc.pid)
                r = wrk(server.base, s.script, s.apiota_args(rep, server), s.connections, duration)
                r["cpu_us"] = (cpu_seconds(server.proc.pid) - cpu) / r["requests"] * 1e6
                if r["errors_status"] or r["errors"]:
                    problems.append(f"{s.name} ({server.name}): {r['errors_status']} error statuses, "
                                    f"{r['errors']} socket errors/timeouts")
                runs.append(r)
    rows = [f"| scenario | {labels[0]} | p50 ms | p99 ms | CPU µs/req | {labels[1]} | p50 ms | p99 ms | "
            f"CPU µs/req | ratio |",
            "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for s in scenarios:
        key, unit = ("mibps", "MiB/s") if s.throughput else ("rps", "req/s")
        cells = []
        for runs in results[s.name]:
            cells.append(f"{median([r[key] for r in runs]):,.0f} {unit} | {fmt_ms(median([r['p50_us'] for r in runs]))} | "
                         f"{fmt_ms(median([r['p99_us'] for r in runs]))} | {median([r['cpu_us'] for r in runs]):.1f}")
        a, b = results[s.name]
        ratio = median([r[key] for r in a]) / median([r[key] for r in b])
        rows.append(f"| {s.name} | {cells[0]} | {cells[1]} | {ratio:.2f} |")
    return "\n".join(rows)


class ConsoleWatcher(threading.Thread):
    """One open web console, as the front end behaves: it holds the live event
    stream (/api/admin/events) and, after events, fetches the overview's
    statistics and the progress of each release in rollout, at most once a
    second. Counts what it received and fetched."""

    def __init__(self, server):
        super().__init__(daemon=True)
        self.server, self.events, self.refetches, self.failures = server, 0, 0, 0
        self.stopping = threading.Event()

    def run(self):
        try:
            with socket.create_connection(("127.0.0.1", self.server.port), timeout=10) as sock:
                sock.sendall(f"GET /api/admin/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n"
                             f"Authorization: Bearer {self.server.admin_key}\r\n\r\n".encode())
                self.watch(sock)
        except OSError:
            self.failures += 1

    def watch(self, sock):
        received, pending, last_fetch, head_seen = b"", False, 0.0, False
        sock.settimeout(0.2)
        while not self.stopping.is_set():
            try:
                chunk = sock.recv(65536)
                if not chunk:
                    break
                received += chunk
            except TimeoutError:
                pass
            *lines, received = received.split(b"\n")
            for line in lines:
                if not head_seen:
                    head_seen = True
                    if b" 200 " not in line:
                        self.failures += 1
                        return
                elif line.startswith(b"event:"):
                    self.events += 1
                    pending = True
            if pending and time.monotonic() - last_fetch >= 1:
                pending, last_fetch = False, time.monotonic()
                self.refetch()

    def refetch(self):
        auth = {"Authorization": f"Bearer {self.server.admin_key}"}
        status, _, body = http("GET", self.server.base + "/api/admin/stats", headers=auth)
        self.refetches += 1
        if status != 200:
            self.failures += 1
            return
        for rollout in json.loads(body)["rollouts"]:
            release_id = rollout["release"]["id"]
            status, _, _ = http("GET", f"{self.server.base}/api/admin/releases/{release_id}/progress", headers=auth)
            if status != 200:
                self.failures += 1

    def stop(self):
        self.stopping.set()
        self.join(timeout=10)


def console_cost(scenarios, server, consoles, reps, duration, problems):
    """The device hot path with `consoles` open web consoles against none,
    on the same server, interleaved; a table of medians and the ratio."""
    results = {s.name: ([], []) for s in scenarios}
    events = refetches = 0
    for rep in range(reps):
        for s in scenarios:
            for side in ((0, 1) if rep % 2 == 0 else (1, 0)):
                watchers = [ConsoleWatcher(server) for _ in range(consoles if side == 0 else 0)]
                for w in watchers:
                    w.start()
                time.sleep(0.2 if watchers else 0)
                cpu = cpu_seconds(server.proc.pid)
                r = wrk(server.base, s.script, s.apiota_args(rep, server), s.connections, duration)
                r["cpu_us"] = (cpu_seconds(server.proc.pid) - cpu) / r["requests"] * 1e6
                for w in watchers:
                    w.stop()
                    events, refetches = events + w.events, refetches + w.refetches
                    if w.failures:
                        problems.append(f"console watcher: {w.failures} failed requests")
                if r["errors_status"] or r["errors"]:
                    problems.append(f"{s.name} (consoles {len(watchers)}): {r['errors_status']} error statuses")
                results[s.name][side].append(r)
    rows = [f"| scenario | {consoles} consoles open | p99 ms | CPU µs/req | no console | p99 ms | CPU µs/req | ratio |",
            "|---|---:|---:|---:|---:|---:|---:|---:|"]
    for s in scenarios:
        with_c, without = results[s.name]
        cells = [f"{median([r['rps'] for r in runs]):,.0f} req/s | {fmt_ms(median([r['p99_us'] for r in runs]))} | "
                 f"{median([r['cpu_us'] for r in runs]):.1f}" for runs in (with_c, without)]
        ratio = median([r["rps"] for r in with_c]) / median([r["rps"] for r in without])
        rows.append(f"| {s.name} | {cells[0]} | {cells[1]} | {ratio:.2f} |")
    rows.append(f"\nthe consoles received {events} events and refetched the overview {refetches} times in all")
    return "\n".join(rows)


def upload_memory(server, image_tool, root):
    """Peak RSS growth while a 16 MiB firmware streams in."""
    image = os.path.join(root, "fw-16m.bin")
    run([image_tool, image, "9.0.0", str(UPLOAD_BYTES - 4096)])
    with open(image, "rb") as f:
        data = f.read()
    reset_peak_rss(server.proc.pid)
    before = rss_kib(server.proc.pid, "VmRSS")
    server.upload(data, "9.0.0")
    peak = rss_kib(server.proc.pid, "VmHWM")
    return len(data), before, peak


def warm(server, problems):
    """Polls every device once (about 12k polls/s here), so all are cached."""
    total = 0
    while total < server.devices:
        seconds = max(1, min(60, int((server.devices - total) / 12000) + 1))
        r = wrk(server.base, "warm.lua", [server.devices, 2, total], 64, seconds)
        if r["errors_status"] or r["errors"]:
            problems.append(f"warm-up of {server.devices}: {r['errors_status']} error statuses")
            return
        total += r["requests"]


def scale(binary, image_tool, root, sizes, reps, duration, problems):
    servers = []
    try:
        for n in sizes:
            servers.append(Apiota(binary, image_tool, root, n, f"scale-{n}"))
            warm(servers[-1], problems)
        results = {n: [] for n in sizes}
        for _ in range(reps):
            for server in servers:
                r = wrk(server.base, "check_update.lua", [server.devices], 64, duration)
                if r["errors_status"] or r["errors"]:
                    problems.append(f"scale {server.devices}: {r['errors_status']} error statuses")
                results[server.devices].append(r)
        rows = ["| registered devices (all polled once first) | import | check-update | p50 ms | p99 ms | vs smallest | "
            "apiota peak RSS |",
                "|---:|---:|---:|---:|---:|---:|---:|"]
        base = median([r["rps"] for r in results[sizes[0]]])
        for server in servers:
            rs = results[server.devices]
            rps = median([r["rps"] for r in rs])
            rows.append(f"| {server.devices:,} | {server.import_seconds:.1f} s | {rps:,.0f} req/s | "
                        f"{fmt_ms(median([r['p50_us'] for r in rs]))} | {fmt_ms(median([r['p99_us'] for r in rs]))} | "
                        f"{rps / base:.2f} | {rss_kib(server.proc.pid, 'VmHWM') / 1024:.0f} MiB |")
        return "\n".join(rows)
    finally:
        for server in servers:
            server.stop()


class Certificate:
    """An ECDSA P-256 certificate for 127.0.0.1 and localhost signed by a
    private CA, made with the openssl command line. Both servers get `chain`
    (the leaf, then the CA) and `key`; `client` trusts that CA alone, so the
    harness's own requests check the chain each server sends."""

    def __init__(self, root):
        folder = os.path.join(root, "tls")
        os.makedirs(folder)
        ca, ca_key, leaf, csr, extensions = (os.path.join(folder, f) for f in
                                             ("ca.pem", "ca-key.pem", "leaf.pem", "leaf.csr", "leaf.ext"))
        self.chain, self.key = os.path.join(folder, "chain.pem"), os.path.join(folder, "key.pem")
        p256 = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes"]
        run(["openssl", "req", "-x509", *p256, "-days", "2", "-subj", "/CN=apiota bench CA", "-keyout", ca_key,
             "-out", ca])
        run(["openssl", "req", *p256, "-subj", "/CN=127.0.0.1", "-keyout", self.key, "-out", csr])
        with open(extensions, "w") as f:
            f.write("subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=critical,CA:FALSE\n"
                    "keyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\n"
                    "subjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\n")
        run(["openssl", "x509", "-req", "-in", csr, "-CA", ca, "-CAkey", ca_key, "-CAcreateserial", "-days", "2",
             "-extfile", extensions, "-out", leaf])
        with open(self.chain, "w") as out:
            for part in (leaf, ca):
                with open(part) as f:
                    out.write(f.read())
        self.client = ssl.create_default_context(cafile=ca)


def build_tls_client(root):
    """Compiles bench/tls_client.c (the handshake driver) against OpenSSL."""
    binary = os.path.join(root, "tls_client")
    run(["cc", "-O2", "-o", binary, os.path.join(HERE, "tls_client.c"), "-lssl", "-lcrypto", "-lpthread"])
    return binary


def tls_polls(client, port, devices, connections, duration, resume, tls_max):
    """check-update polls by bench/tls_client.c, a new TLS connection each:
    every handshake full, or (resume) each resuming its slot's last session."""
    cmd = [client, "--port", port, "--connections", connections, "--threads", 2, "--duration", duration,
           "--devices", devices, "--tls-max", tls_max, "--timeout", 10, *(["--resume"] if resume else [])]
    out = subprocess.run([str(a) for a in cmd], check=True, capture_output=True, text=True,
                         timeout=duration + 60).stdout
    return with_rates(json.loads(out))


class TlsScenario:
    """A scenario over TLS. `load(server)` measures once against apiota or
    nginx and returns a with_rates() result; `handshakes` ("full" or
    "resumed") marks the driver's scenarios, whose handshakes are checked."""

    def __init__(self, name, target, connections, load, handshakes=None, throughput=False, smoke=False):
        self.name, self.target, self.connections, self.load = name, target, connections, load
        self.handshakes, self.throughput = handshakes, throughput
        self.smoke = smoke  # run in --smoke: each TLS version, handshake kind and load generator once
        self.apiota, self.nginx = [], []


def tree_cpu_seconds(pid):
    """cpu_seconds() of a process and its children (nginx: master and workers)."""
    total = cpu_seconds(pid)
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                if int(f.read().rsplit(")", 1)[1].split()[1]) == pid:
                    total += cpu_seconds(int(entry))
        except OSError:
            pass  # it exited meanwhile
    return total


def client_cpu_seconds():
    """User + system CPU time of the harness's finished children: the load
    generator that just ran (wrk or the driver) is the one that changes it."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def ktls_connections():
    """Connections whose sending the kernel has encrypted (kTLS), None when
    the kernel has no kTLS (no /proc/net/tls_stat)."""
    try:
        with open("/proc/net/tls_stat") as f:
            return sum(int(value) for name, value in (line.split() for line in f)
                       if name in ("TlsTxSw", "TlsTxDevice"))
    except OSError:
        return None


def measure_tls(scenarios, server, nginx, reps, problems):
    """Runs each scenario against apiota then nginx, `reps` times; records
    each server's CPU time per request, the load generator's, and kTLS use."""
    for _ in range(reps):
        for s in scenarios:
            for label, target, runs in (("apiota", server, s.apiota), ("nginx", nginx, s.nginx)):
                cpu, client_cpu, ktls = tree_cpu_seconds(target.proc.pid), client_cpu_seconds(), ktls_connections()
                r = s.load(target)
                requests = max(r["requests"], 1)
                r["cpu_us"] = (tree_cpu_seconds(target.proc.pid) - cpu) / requests * 1e6
                r["client_cpu_us"] = (client_cpu_seconds() - client_cpu) / requests * 1e6
                r["ktls"] = None if ktls is None else ktls_connections() - ktls
                runs.append(r)
                if r["errors_status"] or r["errors"] or not r["requests"]:
                    problems.append(f"{s.name}: {label} answered {r['requests']} requests, {r['errors_status']} "
                                    f"error statuses, {r['errors']} socket errors/timeouts")
                if s.handshakes == "full" and r["handshakes_resumed"]:
                    problems.append(f"{s.name}: {label} resumed {r['handshakes_resumed']} sessions; every handshake "
                                    f"should have been full")
                if s.handshakes == "resumed" and r["handshakes_full"] > s.connections:
                    problems.append(f"{s.name}: {label} made {r['handshakes_full']} full handshakes; only each "
                                    f"connection's first ({s.connections}) should have been")


def tls_table(scenarios):
    """Medians, the throughput ratio apiota / nginx and the CPU ratio: each
    server's requests per second of its own CPU time, apiota / nginx (the
    client's share of the cores left out)."""
    rows = ["| scenario | apiota | p50 ms | p99 ms | CPU µs/req | nginx | p50 ms | p99 ms | CPU µs/req | ratio | "
            "CPU ratio | target |",
            "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for s in scenarios:
        key, unit = ("mibps", "MiB/s") if s.throughput else ("rps", "req/s")
        cells = [f"{median([r[key] for r in runs]):,.0f} {unit} | {fmt_ms(median([r['p50_us'] for r in runs]))} | "
                 f"{fmt_ms(median([r['p99_us'] for r in runs]))} | {median([r['cpu_us'] for r in runs]):,.1f}"
                 for runs in (s.apiota, s.nginx)]
        ratio = median([r[key] for r in s.apiota]) / median([r[key] for r in s.nginx])
        cpu_ratio = median([r["cpu_us"] for r in s.nginx]) / median([r["cpu_us"] for r in s.apiota])
        rows.append(f"| {s.name} | {cells[0]} | {cells[1]} | {ratio:.2f} | {cpu_ratio:.2f} | ≥ {s.target:.2f} |")
    return "\n".join(rows)


def tls_client_table(scenarios):
    """What each server's clients did: the handshakes the driver counted
    (SSL_session_reused), what it negotiated, and the load generator's CPU."""
    rows = ["| scenario | server | full handshakes | resumed | negotiated | client CPU µs/req |",
            "|---|---|---:|---:|---|---:|"]
    for s in scenarios:
        for label, runs in (("apiota", s.apiota), ("nginx", s.nginx)):
            if s.handshakes:
                negotiated = " ".join(runs[0][k] for k in ("protocol", "cipher", "group"))
                full, resumed = (sum(r[k] for r in runs) for k in ("handshakes_full", "handshakes_resumed"))
                counts = f"{full:,} | {resumed:,} | {negotiated}"
            else:
                counts = "kept alive (wrk) | | "
            rows.append(f"| {s.name} | {label} | {counts} | {median([r['client_cpu_us'] for r in runs]):,.1f} |")
    return "\n".join(rows)


def ktls_note(scenarios):
    """Whether the kernel encrypted for either server (kTLS), or why it could not."""
    runs = [r for s in scenarios for r in s.apiota + s.nginx]
    if any(r["ktls"] is None for r in runs):
        with open("/proc/sys/net/ipv4/tcp_available_ulp") as f:
            ulps = f.read().strip() or "none"
        return (f"kTLS: not in this kernel (no /proc/net/tls_stat, TCP ULPs: {ulps}); both servers encrypt in user "
                f"space, and nginx reads the firmware rather than sendfile()s it")
    apiota = sum(r["ktls"] for s in scenarios for r in s.apiota)
    nginx = sum(r["ktls"] for s in scenarios for r in s.nginx)
    return (f"kTLS: the kernel encrypted the sending of {apiota:,} connections during apiota's runs and {nginx:,} "
            f"during nginx's (/proc/net/tls_stat TlsTxSw + TlsTxDevice)")


def tls_comparison(args, root, problems):
    """A fresh apiota serving HTTPS and nginx terminating TLS with the same
    certificate, on the same devices and bodies as the plain scenarios; the
    handshake scenarios use bench/tls_client.c (wrk resumes on reconnect)."""
    cert = Certificate(root)
    client = build_tls_client(root)
    server = Apiota(args.apiota, args.image_tool, root, 2 * args.devices, "https", tls=cert)
    nginx = None
    try:
        answer, check_body = server.offered_answer()
        if not answer["url"].startswith(server.base + "/"):
            raise RuntimeError(f"the TLS server hands out {answer['url']}, not an {server.base} URL")
        download_path = answer["url"][len(server.base):]
        _, config_body = server.config_answer()
        nginx = Nginx(root, check_body, config_body, download_path.split("?")[0], server.firmware, tls=cert,
                      name="nginx-https")
        n, size, duration = args.devices, len(server.firmware), args.duration

        def polls(resume, tls_max):
            return lambda target: tls_polls(client, target.port, n, 32, duration, resume, tls_max)

        def downloads(*chunk):
            return lambda target: wrk(target.base, "download.lua", [download_path, size, *chunk], 16, duration)

        scenarios = [
            TlsScenario("TLS 1.3 check-update, full handshake per request, 32 conns", 0.9, 32, polls(False, "1.3"),
                        handshakes="full", smoke=True),
            TlsScenario("TLS 1.3 check-update, resumed session per request, 32 conns", 0.9, 32, polls(True, "1.3"),
                        handshakes="resumed"),
            TlsScenario("TLS 1.2 check-update, full handshake per request, 32 conns", 0.9, 32, polls(False, "1.2"),
                        handshakes="full"),
            TlsScenario("TLS 1.2 check-update, resumed session per request, 32 conns", 0.9, 32, polls(True, "1.2"),
                        handshakes="resumed", smoke=True),
            TlsScenario("TLS 1.3 check-update, keep-alive, 64 conns", 0.6, 64,
                        lambda target: wrk(target.base, "check_update.lua", [n], 64, duration), smoke=True),
            TlsScenario(f"TLS 1.3 download {size / 2**20:.1f} MiB, 16 conns", 0.85, 16, downloads(), throughput=True),
            TlsScenario("TLS 1.3 download in 64 KiB Range chunks, 16 conns", 0.85, 16, downloads(RANGE_CHUNK),
                        throughput=True, smoke=True),
        ]
        scenarios = [s for s in scenarios if args.only.lower() in s.name.lower() and (s.smoke or not args.smoke)]
        if not scenarios:
            return
        # A fresh server's first polls load its cache from the database.
        wrk(server.base, "check_update.lua", [n], 64, max(1, duration // 2))
        measure_tls(scenarios, server, nginx, args.reps, problems)
        openssl = run(["openssl", "version"]).strip()
        print(f"\nTLS: apiota --tls-cert/--tls-key against nginx terminating TLS with the same ECDSA P-256 "
              f"certificate and settings ({openssl}); medians of {args.reps} interleaved runs of {duration} s each; "
              f"ratio = apiota / nginx; CPU = the server's CPU time per request; CPU ratio = requests per CPU "
              f"second, apiota / nginx\n")
        print(tls_table(scenarios))
        print()
        print(tls_client_table(scenarios))
        print(f"\n{ktls_note(scenarios)}", flush=True)
    finally:
        for s in (nginx, server):
            if s is not None:
                s.stop()


def machine():
    cpu = "unknown cpu"
    try:
        with open("/proc/cpuinfo") as f:
            cpu = next(l.split(":", 1)[1].strip() for l in f if l.startswith("model name"))
    except (OSError, StopIteration):
        pass
    nginx_version = subprocess.run(["nginx", "-v"], capture_output=True, text=True).stderr.strip()
    return f"{os.cpu_count()} cpus ({cpu}), {platform.system()} {platform.release()}, {nginx_version}, wrk -t2"


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--apiota", default=os.path.join(HERE, "..", "build-release", "apiota"))
    p.add_argument("--image-tool", default=os.path.join(HERE, "..", "build-release", "tests", "make_esp_image"))
    p.add_argument("--devices", type=int, default=10000, help="enrolled devices for the main scenarios")
    p.add_argument("--duration", type=int, default=5, help="seconds per wrk run")
    p.add_argument("--reps", type=int, default=3, help="repetitions (interleaved with nginx); medians are reported")
    p.add_argument("--scale", default="1000,100000,1000000",
                   help="device counts for the scale scenario ('none' skips it)")
    p.add_argument("--smoke", action="store_true", help="a few seconds in all: proves the harness works")
    p.add_argument("--only", default="",
                   help="run only the main (and TLS) scenarios whose name contains this text, in any case; "
                        "'--only tls' runs the TLS scenarios alone")
    p.add_argument("--tls", action="store_true",
                   help="then run the TLS scenarios: apiota serving HTTPS against nginx terminating TLS with the "
                        "same certificate (full and resumed handshakes, keep-alive, downloads)")
    p.add_argument("--access-log-ab", action="store_true",
                   help="then run the check-update and config scenarios against the default server and a second "
                        "one with access_log = false, interleaved, and report the ratio")
    p.add_argument("--baseline", default="",
                   help="then run check-update, download, register and ota-log against this binary too (a second "
                        "server with the same devices), interleaved, and report this / baseline")
    p.add_argument("--postgres", action="store_true",
                   help="then run the PostgreSQL mode (bench/postgres_mode.py): one and two nodes on one PostgreSQL "
                        "against the SQLite node, and a fleet of --postgres-fleet devices carried into PostgreSQL")
    p.add_argument("--postgres-only", default="",
                   help="run only the PostgreSQL mode's scenarios whose name contains this text, in any case")
    p.add_argument("--postgres-fleet", type=int, default=1000000,
                   help="devices of the PostgreSQL mode's large fleet (0 skips it)")
    p.add_argument("--consoles", type=int, default=3,
                   help="then run check-update and ota-log with this many open web consoles (live event stream, "
                        "overview refetched after events) and with none, interleaved, and report the ratio (0 skips)")
    args = p.parse_args()
    if args.smoke:
        args.devices, args.duration, args.reps, args.scale, args.tls = 200, 1, 1, "100,1000", True
        args.postgres, args.postgres_fleet = True, 1000
    with_tls = args.tls or "tls" in args.only.lower()
    for tool in ("wrk", "nginx", *(("openssl", "cc") if with_tls else ()),
                 *(("psql", "pg_isready") if args.postgres else ())):
        if shutil.which(tool) is None:
            sys.exit(f"{tool} is not installed (bench/run.sh installs it)")

    root = tempfile.mkdtemp(prefix="apiota-bench-")
    problems = []
    server = nginx = None
    try:
        print(f"machine: {machine()}", flush=True)
        # Twice the devices: the second half reports OTA progress, so the
        # first half, which polls, stays settled (no update in progress).
        server = Apiota(args.apiota, args.image_tool, root, 2 * args.devices, "main")
        print(f"apiota: {2 * args.devices:,} devices imported in {server.import_seconds:.1f} s", flush=True)
        answer, check_body = server.offered_answer()
        firmware_path = answer["url"][len(server.base):]
        server.download_path = firmware_path
        apiota_etag, config_body = server.config_answer()
        nginx = Nginx(root, check_body, config_body, firmware_path.split("?")[0], server.firmware)
        nginx_etag = nginx.etag()
        size = len(server.firmware)
        run_id = uuid.uuid4().hex[:6]
        n = args.devices
        scenarios = [
            Scenario("check-update, keep-alive, 64 conns", "check_update.lua", lambda r, a: [n], lambda r: [n], 64,
                     ab=True, compare=True, console=True),
            Scenario("check-update, new connection per request, 32 conns", "check_update.lua",
                     lambda r, a: [n, "close"], lambda r: [n, "close"], 32, ab=True),
            Scenario(f"download {size / 2**20:.1f} MiB, 16 conns", "download.lua",
                     lambda r, a: [a.download_path, size], lambda r: [firmware_path, size], 16, throughput=True,
                     compare=True),
            Scenario("download in 64 KiB Range chunks, 16 conns", "download.lua",
                     lambda r, a: [a.download_path, size, RANGE_CHUNK],
                     lambda r: [firmware_path, size, RANGE_CHUNK], 16,
                     throughput=True),
            Scenario("register (new devices), 32 conns", "register.lua", lambda r, a: [a.pk_key, f"{run_id}{a.name}{r}"],
                     lambda r: [server.pk_key, f"{run_id}{r}"], 32, writes="devices", compare=True),
            Scenario("ota-log, 32 conns", "ota_log.lua", lambda r, a: [n, n], lambda r: [n, n], 32, writes="ota_logs",
                     compare=True, console=True),
            Scenario("config, 64 conns", "config.lua", lambda r, a: [n], lambda r: [n], 64, ab=True),
            Scenario("config with If-None-Match (304), 64 conns", "config.lua", lambda r, a: [n, apiota_etag],
                     lambda r: [n, nginx_etag], 64),
        ]
        scenarios = [s for s in scenarios if args.only.lower() in s.name.lower()]
        if scenarios:
            measure(scenarios, server, nginx, args.reps, args.duration, problems)
            print(f"\nmedians of {args.reps} interleaved runs of {args.duration} s each; ratio = apiota / nginx\n")
            print(table(scenarios))
        ab = [s for s in scenarios if s.ab]
        if args.access_log_ab and ab:
            off = Apiota(args.apiota, args.image_tool, root, 2 * args.devices, "no-access-log", access_log=False)
            try:
                # A fresh server's first polls load its cache from the database.
                wrk(off.base, "check_update.lua", [n], 64, max(1, args.duration // 2))
                print(f"\naccess log on (default) vs off, medians of {args.reps} interleaved runs of "
                      f"{args.duration} s each\n")
                print(interleaved_ab(ab, server, off, ("access log on (default)", "access log off"), args.reps,
                                     args.duration, problems), flush=True)
            finally:
                off.stop()
        watched = [s for s in scenarios if s.console]
        if args.consoles and watched:
            print(f"\nthe device hot path with {args.consoles} open web consoles vs none, same server, medians of "
                  f"{args.reps} interleaved runs of {args.duration} s each; ratio = with / without\n")
            print(console_cost(watched, server, args.consoles, args.reps, args.duration, problems), flush=True)
        compared = [s for s in scenarios if s.compare]
        if args.baseline and compared:
            # Two fresh servers, built the same way: the main server has
            # grown (registered devices, logs) and would not be a fair side.
            this = Apiota(args.apiota, args.image_tool, root, 2 * args.devices, "this")
            base = Apiota(args.baseline, args.image_tool, root, 2 * args.devices, "baseline")
            try:
                for side in (this, base):
                    side.download_path = side.firmware_path()
                    wrk(side.base, "check_update.lua", [n], 64, max(1, args.duration // 2))
                print(f"\nthis binary vs --baseline {args.baseline}, two fresh servers, medians of {args.reps} "
                      f"interleaved runs of {args.duration} s each; ratio = this / baseline\n")
                print(interleaved_ab(compared, this, base, ("this binary", "baseline"), args.reps, args.duration,
                                     problems), flush=True)
            finally:
                base.stop()
                this.stop()
        length, before, peak = upload_memory(server, args.image_tool, root)
        print(f"\nupload of {length / 2**20:.1f} MiB: RSS {before / 1024:.0f} MiB before, "
              f"peak {peak / 1024:.0f} MiB during (growth {(peak - before) / 1024:.1f} MiB)")
        server.stop()
        nginx.stop()
        server = nginx = None
        if with_tls:
            tls_comparison(args, root, problems)
        if args.postgres:
            import postgres_mode  # bench/postgres_mode.py, beside this file
            postgres_mode.run_mode(args, root, problems)
        if args.scale != "none":
            sizes = [int(s) for s in args.scale.split(",")]
            print(f"\nscale: check-update, keep-alive, 64 conns, medians of {args.reps}\n", flush=True)
            print(scale(args.apiota, args.image_tool, root, sizes, args.reps, args.duration, problems))
    finally:
        for s in (server, nginx):
            if s is not None:
                s.stop()
        shutil.rmtree(root, ignore_errors=True)
    if problems:
        print("\nPROBLEMS:\n" + "\n".join(problems))
        sys.exit(1)


if __name__ == "__main__":
    main()
