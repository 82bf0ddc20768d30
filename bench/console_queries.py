#!/usr/bin/env python3
"""Latency of the console's admin queries with a large fleet.

Builds a data folder holding one project with --devices devices (default
1 000 000) by bulk SQL, starts the apiota binary on it (127.0.0.1 only), and
times every query in QUERIES over plain HTTP (keep-alive, one request at a
time): --requests timed requests each after a short warm-up, printed as
p50 / p99 / max in milliseconds. A query marked `deep` is timed twice: its
first page, and a page deep inside the list reached by the cursor the server
gave for it (see `deep_cursor`). The timing includes the client's own work,
so the numbers are an upper bound of the server's.

The fleet (see `fill`): device i is "dev-%07d"; channels stable 80 %,
beta 15 %, dev 5 %; ten firmware versions; 5 % tagged with one or two of four
tags; 1 % blocked; last seen spread evenly over the past 7 days, 5 % never
seen; registered over the past 90 days.

Everything lives in a temp folder (under --root, default the system's temp
folder) that is removed at the end, and the server is stopped by its PID,
whatever happens. The harness exits non-zero if a query does not answer 200
with JSON; timing never fails it.

    python3 bench/console_queries.py --apiota build/apiota
    python3 bench/console_queries.py --apiota build/apiota --devices 20000 --requests 20   # quick

The statistics routes (stats_queries) also need the releases and ~600 000
update attempts of `fill_rollouts`; each prints "cold": its first answer,
which counts everything afresh (the cost of one statistics refresh).

Other queries join by adding a Query to QUERIES.
"""

import argparse
import http.client
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.parse
from dataclasses import dataclass

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from run import free_port, stop_process  # noqa: E402  (bench/run.py, the load harness)

HOUR = 3600
DAY = 24 * HOUR
VERSIONS = ["1.0.0", "1.1.0", "1.2.0", "1.2.1", "1.3.0", "1.4.0", "1.4.1", "1.5.0", "2.0.0-beta.1", "2.0.0"]
TAGS = ["site-a", "site-b", "lab", "canary"]


@dataclass
class Query:
    name: str
    path: str  # may use {now}: the fill's reference time, Unix seconds
    deep: bool = False  # also time a page deep in the list, by cursor
    seconds: float = 0.0  # time it for at least this long (statistics: so their snapshots are refreshed)


def device_queries():
    q = "/api/admin/devices?limit=100"
    queries = [Query("devices (device_id)", q, deep=True)]
    for sort in ["device_id", "last_seen_at", "registered_at", "firmware_version"]:
        for order in ["asc", "desc"]:
            if sort == "device_id" and order == "asc":
                continue
            queries.append(Query(f"devices sort={sort} {order}", f"{q}&sort={sort}&order={order}", deep=True))
    filters = [
        ("prefix=dev-00042", "prefix=dev-00042"),
        ("prefix=dev-0", "prefix=dev-0"),
        ("tag=canary", "tag=canary"),
        ("tag=canary prefix=dev-00", "tag=canary&prefix=dev-00"),
        ("tag=canary sort=last_seen_at desc", "tag=canary&sort=last_seen_at&order=desc"),
        ("version=1.4.0", "version=1.4.0"),
        ("channel=beta", "channel=beta"),
        ("blocked=true", "blocked=true"),
        ("blocked=false", "blocked=false"),
        ("seen_after=1h ago", "seen_after={now_1h}"),
        ("seen_after=6d ago", "seen_after={now_6d}"),
        ("seen_before=1h ago", "seen_before={now_1h}"),
        ("seen_before=6d ago", "seen_before={now_6d}"),
        ("version=1.2.0 channel=beta", "version=1.2.0&channel=beta"),
        ("channel=beta blocked=true", "channel=beta&blocked=true"),
        ("channel=stable seen_after=1h ago", "channel=stable&seen_after={now_1h}"),
        ("version=1.4.0 sort=last_seen_at desc", "version=1.4.0&sort=last_seen_at&order=desc"),
    ]
    for name, param in filters:
        queries.append(Query(f"devices {name}", f"{q}&{param}", deep=True))
    return queries


def other_queries():
    return [
        Query("device attempts", "/api/admin/devices/dev-0000042/attempts"),
        Query("audit", "/api/admin/audit?limit=100"),
        Query("audit action=key.create", "/api/admin/audit?action=key.create"),
        Query("changelog", "/api/admin/changelog"),
    ]


def stats_queries():
    """The overview and progress routes (docs/api.md "Fleet statistics"), each timed for 12 s: longer than a
    statistics snapshot lives, so refreshes happen during the measurement. The releases are fill_rollouts'."""
    return [
        Query("stats", "/api/admin/stats", seconds=12),
        Query("stats bucket=day span=30", "/api/admin/stats?bucket=day&span=30", seconds=12),
        Query("stats span=720", "/api/admin/stats?span=720", seconds=12),
        Query("stats bucket=day span=720", "/api/admin/stats?bucket=day&span=720", seconds=12),
        Query("progress 10% stable", "/api/admin/releases/2/progress", seconds=12),
        Query("progress 25% beta tags", "/api/admin/releases/3/progress", seconds=12),
        Query("progress 100% open attempts", "/api/admin/releases/1/progress", seconds=12),
    ]


QUERIES = device_queries() + other_queries() + stats_queries()


def cli(binary, data, *args):
    return subprocess.run([binary, *args, "--data", data], check=True, capture_output=True, text=True).stdout


def start_server(binary, data, root):
    port = free_port()
    log = open(os.path.join(root, "server.log"), "a")
    proc = subprocess.Popen([binary, "serve", "--data", data, "--listen", f"127.0.0.1:{port}", "--rate-limit", "off",
                             "--public-url", f"http://127.0.0.1:{port}"], stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            log.close()
            raise RuntimeError(f"the server exited with {proc.returncode} (see {root}/server.log)")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/api/health")
            conn.getresponse().read()
            conn.close()
            return proc, port, log
        except OSError:
            time.sleep(0.2)
    stop_process(proc, log)
    raise RuntimeError("the server did not come up")


def fill(db_path, devices, now):
    """Inserts the fleet by SQL in one transaction, ids in index order. The
    indexes of the two tables filled are dropped first and made again after,
    from their own SQL: building an index from sorted data is far quicker
    than keeping it up to date row by row."""
    versions = ", ".join(f"({i}, '{v}')" for i, v in enumerate(VERSIONS))
    tags = ", ".join(f"({i}, '{t}')" for i, t in enumerate(TAGS))
    now_ms = now * 1000
    with sqlite3.connect(db_path) as db:
        db.execute("PRAGMA journal_mode = WAL")
        db.executescript(f"""
            CREATE TEMP TABLE v(i INTEGER PRIMARY KEY, version TEXT);
            INSERT INTO v VALUES {versions};
            CREATE TEMP TABLE tg(i INTEGER PRIMARY KEY, tag TEXT);
            INSERT INTO tg VALUES {tags};
            CREATE TEMP TABLE n(i INTEGER PRIMARY KEY, h INTEGER);
            WITH RECURSIVE c(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM c WHERE i + 1 < {devices})
            INSERT INTO n SELECT i, (i * 2654435761) % 4294967296 FROM c;
        """)
        db.execute("BEGIN")
        indexes = db.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
                             "AND tbl_name IN ('devices', 'device_tags')").fetchall()
        for name, _ in indexes:
            db.execute(f'DROP INDEX "{name}"')
        db.execute(f"""
            INSERT INTO devices (device_id, project_id, secret_salt, secret_hash, channel, blocked, blocked_reason,
                                 registered_at, firmware_version, version_at, last_seen_at, last_address)
            SELECT printf('dev-%07d', i), 'default', printf('%016x', h), printf('%064x', i),
                   CASE WHEN h % 100 < 80 THEN 'stable' WHEN h % 100 < 95 THEN 'beta' ELSE 'dev' END,
                   (h / 7) % 100 = 0, '',
                   {now_ms} - 90 * {DAY * 1000} + (h % {90 * DAY}) * 1000,
                   (SELECT version FROM v WHERE v.i = (h / 13) % 10),
                   {now_ms} - 90 * {DAY * 1000},
                   CASE WHEN (h / 11) % 20 = 0 THEN NULL ELSE {now_ms} - ((h / 3) % {7 * DAY}) * 1000 END,
                   '10.0.0.1'
            FROM n ORDER BY i""")
        # Since schema 13 a tag row holds its device's project; an older
        # binary's schema has no such column (an A/B against it still runs).
        project = ", project_id" if db.execute(
            "SELECT 1 FROM pragma_table_info('device_tags') WHERE name = 'project_id'").fetchone() else ""
        project_value = ", 'default'" if project else ""
        db.execute(f"""
            INSERT INTO device_tags (device_id, tag{project})
            SELECT printf('dev-%07d', i), (SELECT tag FROM tg WHERE tg.i = (h / 17) % 4){project_value} FROM n
            WHERE (h / 5) % 20 = 0
            UNION
            SELECT printf('dev-%07d', i), (SELECT tag FROM tg WHERE tg.i = (h / 19) % 4){project_value} FROM n
            WHERE (h / 5) % 60 = 0""")
        for _, sql in indexes:
            db.execute(sql)
        db.execute("COMMIT")
        fill_rollouts(db, now_ms)


RELEASE_COLUMNS = ("project_id, version, channel, filename, size, sha256, md5, chip, chip_id, image_project_name, "
                   "image_version, secure_version, idf_version, signature, appended_sha256, elf_sha256, uploaded_by, "
                   "uploaded_at, rollout_percent, rollout_stages, rollout_tags")


def fill_rollouts(db, now_ms):
    """Three releases (1: 1.5.0 stable 100 %; 2: 2.0.0 stable, stages 10/50/100; 3: 2.0.0-beta.1 beta 25 %
    tagged lab/canary) and about 1.2 update attempts per device over the past 30 days: 5 % of the
    devices have an open attempt on release 1, half the devices an ended one on release 2 (90 %
    succeeded, 5 % failed, 3 % stuck, 2 % rolled back), 10 % a superseded one on release 3."""
    db.execute("BEGIN")
    for i, (version, channel, percent, stages, tags) in enumerate([
            ("1.5.0", "stable", 100, "", ""), ("2.0.0", "stable", 10, "10:0:0,50:86400:100,100:86400:1000", ""),
            ("2.0.0-beta.1", "beta", 25, "", "lab,canary")]):
        db.execute(f"INSERT INTO releases (id, {RELEASE_COLUMNS}) VALUES (?, 'default', ?, ?, ?, 1000, ?, ?, 'esp32', 0, "
                   "'app', ?, 0, 'v5', '', '', '', 'key_bench', ?, ?, ?, ?)",
                   (i + 1, version, channel, f"bench-{version}.bin", "a" * 64, "b" * 32, version, now_ms, percent,
                    stages, tags))
    month = 30 * DAY * 1000
    db.execute(f"""
        INSERT INTO update_attempts (project_id, device_row_id, device_id, release_id, from_version, target_version,
                                     status, status_at, started_at, outcome, ended_at)
        SELECT 'default', n.i + 1, printf('dev-%07d', n.i), 2, '1.0.0', '2.0.0', 'done',
               {now_ms} - (n.h % {month}), {now_ms} - (n.h % {month}) - 60000,
               CASE WHEN (n.h / 23) % 100 < 90 THEN 'succeeded' WHEN (n.h / 23) % 100 < 95 THEN 'failed'
                    WHEN (n.h / 23) % 100 < 98 THEN 'stuck' ELSE 'rolled_back' END,
               {now_ms} - (n.h % {month})
        FROM n WHERE n.i % 2 = 0""")
    db.execute(f"""
        INSERT INTO update_attempts (project_id, device_row_id, device_id, release_id, from_version, target_version,
                                     status, status_at, started_at, outcome, ended_at)
        SELECT 'default', n.i + 1, printf('dev-%07d', n.i), 3, '1.0.0', '2.0.0-beta.1', 'downloading',
               {now_ms} - (n.h % {month}), {now_ms} - (n.h % {month}), 'superseded', {now_ms} - (n.h % {month})
        FROM n WHERE n.i % 10 = 1""")
    db.execute(f"""
        INSERT INTO update_attempts (project_id, device_row_id, device_id, release_id, from_version, target_version,
                                     status, status_at, started_at, outcome, ended_at)
        SELECT 'default', n.i + 1, printf('dev-%07d', n.i), 1, '1.0.0', '1.5.0', 'downloading',
               {now_ms} - 60000, {now_ms} - 60000, '', NULL
        FROM n WHERE n.i % 20 = 3""")
    db.execute("COMMIT")


class Client:
    def __init__(self, port, key):
        self.port, self.key = port, key
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)

    def get(self, path):
        self.conn.request("GET", path, headers={"Authorization": f"Bearer {self.key}"})
        res = self.conn.getresponse()
        body = res.read()
        if res.status != 200:
            raise RuntimeError(f"GET {path}: {res.status} {body[:300]!r}")
        return json.loads(body)

    def close(self):
        self.conn.close()


def deep_cursor(client, path):
    """The cursor of a page deep inside the list: at half its matches
    (100 000 when the total is capped), reached once by offset."""
    first = client.get(path)
    total = first.get("total", 0)
    depth = total // 2 if first.get("total_exact", True) else 100_000
    while depth > 0:
        page = client.get(f"{path}&offset={depth}")
        if page.get("next_cursor"):
            return page["next_cursor"]
        depth //= 2
    return None


def percentile(sorted_values, p):
    return sorted_values[min(len(sorted_values) - 1, int(round(p / 100 * (len(sorted_values) - 1))))]


def time_query(client, path, requests, seconds=0.0):
    """At least `requests` timed requests after a warm-up, and at least `seconds` of them."""
    for _ in range(3):
        client.get(path)
    times = []
    until = time.monotonic() + seconds
    while len(times) < requests or time.monotonic() < until:
        started = time.perf_counter()
        client.get(path)
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return percentile(times, 50), percentile(times, 99), times[-1]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--apiota", required=True, help="the apiota binary (a release build)")
    ap.add_argument("--devices", type=int, default=1_000_000)
    ap.add_argument("--requests", type=int, default=200, help="timed requests per query")
    ap.add_argument("--root", default=None, help="where to make the temp folder")
    ap.add_argument("--only", default=None,
                    help="time only queries whose name contains this (or one of these, comma-separated)")
    ap.add_argument("--keep", action="store_true", help="keep the temp folder (delete it yourself)")
    args = ap.parse_args()

    root = tempfile.mkdtemp(prefix="apiota-console-bench-", dir=args.root)
    proc = log = None
    try:
        data = os.path.join(root, "data")
        proc, port, log = start_server(args.apiota, data, root)  # makes the data folder
        stop_process(proc, log)
        proc = None
        cli(args.apiota, data, "projects", "plan", "default", "--max-devices", str(args.devices + 1000))
        key = next(w for w in cli(args.apiota, data, "keys", "create", "--role", "admin").split()
                   if w.startswith("pk_live_"))
        now = int(time.time())
        started = time.monotonic()
        fill(os.path.join(data, "apiota.db"), args.devices, now)
        print(f"filled {args.devices} devices in {time.monotonic() - started:.1f} s", flush=True)
        started = time.monotonic()
        proc, port, log = start_server(args.apiota, data, root)
        print(f"server up in {time.monotonic() - started:.1f} s", flush=True)

        client = Client(port, key)
        rows = []
        for q in QUERIES:
            if args.only and not any(part in q.name for part in args.only.split(",")):
                continue
            path = q.path.format(now=now, now_1h=now - HOUR, now_6d=now - 6 * DAY)
            started = time.perf_counter()
            first = client.get(path)
            cold = (time.perf_counter() - started) * 1000  # a statistics route's first answer: one full count
            rows.append((q.name, "first", first.get("total", ""), *time_query(client, path, args.requests, q.seconds)))
            print(f"{rows[-1][0]:40} {rows[-1][1]:6} total={rows[-1][2]!s:>8}  cold {cold:7.1f}  "
                  f"p50 {rows[-1][3]:7.2f}  p99 {rows[-1][4]:7.2f}  max {rows[-1][5]:7.2f} ms", flush=True)
            if q.deep:
                cursor = deep_cursor(client, path)
                if cursor is None:
                    continue
                deep = f"{path}&cursor={urllib.parse.quote(cursor, safe='')}"
                rows.append((q.name, "deep", "", *time_query(client, deep, args.requests)))
                print(f"{rows[-1][0]:40} {rows[-1][1]:6} {'':>14}  "
                      f"p50 {rows[-1][3]:7.2f}  p99 {rows[-1][4]:7.2f}  max {rows[-1][5]:7.2f} ms", flush=True)
        client.close()
        print()
        print(f"| query ({args.devices} devices) | page | total | p50 ms | p99 ms | max ms |")
        print("|---|---|---|---|---|---|")
        for name, page, total, p50, p99, worst in rows:
            print(f"| {name} | {page} | {total} | {p50:.1f} | {p99:.1f} | {worst:.1f} |")
        return 0
    finally:
        if proc is not None:
            stop_process(proc, log)
        if args.keep:
            print(f"kept {root}")
        else:
            shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
