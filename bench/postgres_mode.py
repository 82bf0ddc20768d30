"""The PostgreSQL mode of the benchmark (bench/run.py --postgres).

apiota on a PostgreSQL store (docs/scale-out.md), one node and two nodes on
one database, side by side with the SQLite single node in the same run:
check-update, register, ota-log and download, interleaved, with each side's
CPU per request (the nodes and, for PostgreSQL, its server processes too)
and the nodes' peak RSS. Then a large fleet: imported into SQLite, measured,
carried into PostgreSQL with `apiota migrate` (timed), and measured again on
a node of the copy, with the node's RSS. With --baseline, a fourth side in
the comparison: one node of that binary, on a database of its own.

The PostgreSQL server is the harness's own: initdb into a temporary folder,
listening on 127.0.0.1 only, with PostgreSQL's defaults (durable commits)
but for shared_buffers (512 MB, as anyone serving a large fleet would set).
It runs as the `postgres` user when the harness runs as root, and stops
with the harness, or by itself if the harness dies (the parent-death signal).
"""

import ctypes
import glob
import os
import shutil
import signal
import subprocess
import tempfile
import threading
import time
import uuid

import run as harness


def parent_death_signal():
    """In the child before exec: SIGTERM when the harness dies."""
    PR_SET_PDEATHSIG = 1
    ctypes.CDLL("libc.so.6", use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


class Postgres:
    """A PostgreSQL server in a temporary folder of its own, on 127.0.0.1."""

    def __init__(self):
        bins = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(p.split("/")[4]))
        if not bins:
            raise RuntimeError("PostgreSQL's server is not installed (bench/run.sh installs it)")
        self.bin = os.path.dirname(bins[-1])
        # Not under the harness's folder: that one is 0700 root, and the
        # server may run as `postgres`.
        self.dir = tempfile.mkdtemp(prefix="apiota-bench-pg-")
        self.user = "postgres" if os.geteuid() == 0 else None
        if self.user:
            shutil.chown(self.dir, self.user, self.user)
        self.port = harness.free_port()
        self.proc = None
        try:
            subprocess.run([os.path.join(self.bin, "initdb"), "-D", os.path.join(self.dir, "data"), "-U", "apiota",
                            "--auth=trust", "-E", "UTF8", "--locale=C"], check=True, capture_output=True,
                           user=self.user)
            self.log = open(os.path.join(self.dir, "server.log"), "w")
            if self.user:
                shutil.chown(self.log.name, self.user, self.user)
            self.proc = subprocess.Popen(
                [os.path.join(self.bin, "postgres"), "-D", os.path.join(self.dir, "data"),
                 "-c", "listen_addresses=127.0.0.1", "-c", f"port={self.port}",
                 "-c", f"unix_socket_directories={self.dir}", "-c", "shared_buffers=512MB",
                 "-c", "max_connections=100"],
                stdout=self.log, stderr=subprocess.STDOUT, user=self.user, preexec_fn=parent_death_signal)
            deadline = time.monotonic() + 30
            while subprocess.run(["pg_isready", "-q", "-h", "127.0.0.1", "-p", str(self.port)]).returncode != 0:
                if self.proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("PostgreSQL did not start: " + open(self.log.name).read()[-2000:])
                time.sleep(0.1)
        except BaseException:
            self.stop()
            raise

    def uri(self, database):
        return f"postgresql://apiota@127.0.0.1:{self.port}/{database}"

    def create_database(self):
        name = "apiota_" + uuid.uuid4().hex[:8]
        harness.run(["psql", "-XAtq", "-d", self.uri("postgres"), "-c", f"CREATE DATABASE {name}"])
        return self.uri(name)

    def database_mib(self, uri):
        return int(harness.run(["psql", "-XAtq", "-d", uri, "-c",
                                "SELECT pg_database_size(current_database())"]).strip()) / 2**20

    def cpu_seconds(self):
        return harness.tree_cpu_seconds(self.proc.pid)

    def stop(self):
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)  # fast shutdown
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        shutil.rmtree(self.dir, ignore_errors=True)


class Side:
    """What one column of the comparison drives: one server, or several nodes
    of one store with the load split among them."""

    def __init__(self, label, nodes, postgres=None):
        self.label, self.nodes, self.postgres = label, nodes, postgres

    def cpu_seconds(self):
        total = sum(harness.cpu_seconds(n.proc.pid) for n in self.nodes)
        return total + (self.postgres.cpu_seconds() if self.postgres else 0)

    def wrk(self, scenario, rep, duration):
        """wrk against every node at once, the connections split evenly; the
        requests and bytes are summed, the latencies are the slowest node's."""
        results = [None] * len(self.nodes)

        def drive(i, node):
            results[i] = harness.wrk(node.base, scenario.script, scenario.args(rep, node, i),
                                     max(1, scenario.connections // len(self.nodes)), duration)

        threads = [threading.Thread(target=drive, args=(i, n)) for i, n in enumerate(self.nodes)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        out = dict(results[0])
        for r in results[1:]:
            for key in ("requests", "bytes", "errors", "errors_status", "rps", "mibps"):
                out[key] += r[key]
            for key in ("p50_us", "p99_us"):
                out[key] = max(out[key], r[key])
        return out


class Scenario:
    def __init__(self, name, script, args, connections, writes=None, throughput=False):
        self.name, self.script, self.args, self.connections = name, script, args, connections
        self.writes, self.throughput = writes, throughput


def compare(sides, scenarios, reps, duration, problems):
    """Every scenario on every side, interleaved (the order rotates each
    repetition); medians, CPU per request and the ratio to the first side."""
    results = {(s.name, side.label): [] for s in scenarios for side in sides}
    for rep in range(reps):
        for s in scenarios:
            for side in sides[rep % len(sides):] + sides[:rep % len(sides)]:
                node = side.nodes[0]
                before = node.count(s.writes) if s.writes else 0
                for n in side.nodes:
                    harness.reset_peak_rss(n.proc.pid)
                cpu = side.cpu_seconds()
                r = side.wrk(s, rep, duration)
                r["cpu_us"] = (side.cpu_seconds() - cpu) / max(1, r["requests"]) * 1e6
                r["rss"] = max(harness.rss_kib(n.proc.pid, "VmHWM") for n in side.nodes)
                harness.check_answers(f"{s.name} ({side.label})", node, s.writes, before, r, problems)
                results[(s.name, side.label)].append(r)
    header = "| scenario | " + " | ".join(f"{side.label} | p99 ms | CPU µs/req" +
                                          ("" if i == 0 else " | vs SQLite") for i, side in enumerate(sides)) + \
             " | node peak RSS |"
    rows = [header, "|---|" + "---:|" * (4 * len(sides) - 1 + 1)]
    for s in scenarios:
        key, unit = ("mibps", "MiB/s") if s.throughput else ("rps", "req/s")
        base = harness.median([r[key] for r in results[(s.name, sides[0].label)]])
        cells = []
        for i, side in enumerate(sides):
            runs = results[(s.name, side.label)]
            value = harness.median([r[key] for r in runs])
            cells.append(f"{value:,.0f} {unit} | {harness.fmt_ms(harness.median([r['p99_us'] for r in runs]))} | "
                         f"{harness.median([r['cpu_us'] for r in runs]):.1f}" +
                         ("" if i == 0 else f" | {value / base:.2f}"))
        rss = " / ".join(f"{max(r['rss'] for r in results[(s.name, side.label)]) / 1024:.0f}" for side in sides)
        rows.append(f"| {s.name} | " + " | ".join(cells) + f" | {rss} MiB |")
    return "\n".join(rows)


def nodes_comparison(args, root, postgres, problems):
    n = args.devices
    store = postgres.create_database()
    lite = node_a = node_b = baseline = None
    try:
        lite = harness.Apiota(args.apiota, args.image_tool, root, 2 * n, "pg-sqlite")
        node_a = harness.Apiota(args.apiota, args.image_tool, root, 2 * n, "pg-node-a", store=store)
        node_b = harness.Apiota(args.apiota, args.image_tool, root, 2 * n, "pg-node-b", store=store,
                                fleet_from=node_a)
        if args.baseline:
            baseline = harness.Apiota(args.baseline, args.image_tool, root, 2 * n, "pg-baseline",
                                      store=postgres.create_database())
        print(f"SQLite: {2 * n:,} devices imported in {lite.import_seconds:.1f} s; PostgreSQL: in "
              f"{node_a.import_seconds:.1f} s", flush=True)
        for node in (lite, node_a, node_b, *([baseline] if baseline else [])):
            node.download_path = node.firmware_path()  # also fills a node's firmware cache
            harness.wrk(node.base, "check_update.lua", [n], 64, max(1, args.duration // 2))
        size = len(lite.firmware)
        scenarios = [
            Scenario("check-update, keep-alive, 64 conns", "check_update.lua", lambda r, a, i: [n], 64),
            Scenario("register (new devices), 32 conns", "register.lua",
                     lambda r, a, i: [a.pk_key, uuid.uuid4().hex[:12]], 32, writes="devices"),  # new ids each run
            Scenario("ota-log, 32 conns", "ota_log.lua", lambda r, a, i: [n, n], 32, writes="ota_logs"),
            Scenario(f"download {size / 2**20:.1f} MiB, 16 conns", "download.lua",
                     lambda r, a, i: [a.download_path, size], 16, throughput=True),
        ]
        scenarios = [s for s in scenarios if args.postgres_only.lower() in s.name.lower()]
        sides = [Side("SQLite, 1 node", [lite]), Side("PostgreSQL, 1 node", [node_a], postgres),
                 Side("PostgreSQL, 2 nodes", [node_a, node_b], postgres)]
        if baseline:
            sides.append(Side("PostgreSQL, 1 node, --baseline", [baseline], postgres))
        print(f"\nPostgreSQL mode: medians of {args.reps} interleaved runs of {args.duration} s each; "
              "CPU = the nodes' (and PostgreSQL's) per request; vs SQLite = this / the SQLite node\n")
        print(compare(sides, scenarios, args.reps, args.duration, problems), flush=True)
    finally:
        for node in (baseline, node_b, node_a, lite):
            if node is not None:
                node.stop()


def fleet_in_postgres(args, root, postgres, problems):
    """A fleet of args.postgres_fleet devices: SQLite measured, migrated,
    and a PostgreSQL node measured."""
    count = args.postgres_fleet
    store = postgres.create_database()
    lite = harness.Apiota(args.apiota, args.image_tool, root, count, "fleet-sqlite")
    node = None
    rows = ["| store | devices | put in | warm-up (every device polled once) | check-update | p50 ms | p99 ms | "
            "node peak RSS |", "|---|---:|---:|---:|---:|---:|---:|---:|"]
    try:
        def measure(server, label, put_in):
            started = time.monotonic()
            harness.warm(server, problems)
            warmed = time.monotonic() - started
            runs = []
            for _ in range(args.reps):
                r = harness.wrk(server.base, "check_update.lua", [count], 64, args.duration)
                if r["errors_status"] or r["errors"]:
                    problems.append(f"fleet {label}: {r['errors_status']} error statuses")
                runs.append(r)
            rows.append(f"| {label} | {count:,} | {put_in} | {warmed:.0f} s | "
                        f"{harness.median([r['rps'] for r in runs]):,.0f} req/s | "
                        f"{harness.fmt_ms(harness.median([r['p50_us'] for r in runs]))} | "
                        f"{harness.fmt_ms(harness.median([r['p99_us'] for r in runs]))} | "
                        f"{harness.rss_kib(server.proc.pid, 'VmHWM') / 1024:.0f} MiB |")

        measure(lite, "SQLite", f"import {lite.import_seconds:.0f} s")
        lite.stop()
        started = time.monotonic()
        harness.run([args.apiota, "migrate", "--from", lite.data, "--to", store, "--json"])
        migrated = time.monotonic() - started
        node = harness.Apiota(args.apiota, args.image_tool, root, count, "fleet-pg", store=store, fleet_from=lite)
        measure(node, "PostgreSQL, 1 node", f"`apiota migrate` {migrated:.0f} s")
        print(f"\nfleet of {count:,} devices, check-update, keep-alive, 64 conns, medians of {args.reps}; "
              f"PostgreSQL database {postgres.database_mib(store):,.0f} MiB\n")
        print("\n".join(rows), flush=True)
    finally:
        for server in (node, lite):
            if server is not None:
                server.stop()


def run_mode(args, root, problems):
    postgres = Postgres()
    try:
        nodes_comparison(args, root, postgres, problems)
        if args.postgres_fleet:
            fleet_in_postgres(args, root, postgres, problems)
    finally:
        postgres.stop()
