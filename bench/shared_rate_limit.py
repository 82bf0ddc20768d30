#!/usr/bin/env python3
"""What rate-limit buckets shared by every node would cost (docs/scale-out.md,
"Rate limits"), measured against what a poll costs today.

A shared bucket is one row per client address (or device) in PostgreSQL,
updated by every request: refill by the time passed, take a token, answer
whether one was left. This runs exactly that statement under load with
pgbench on the harness's own PostgreSQL (bench/postgres_mode.py), 100,000
buckets, 32 clients, commits not waited for (synchronous_commit off: a lost
bucket update only forgives a request), and reports PostgreSQL's CPU time per
update. In the same run it measures a whole check-update on a PostgreSQL node
(its CPU per request, node and PostgreSQL together), the request the bucket
would guard. Everything listens on 127.0.0.1 and stops by itself.

Usage: python3 bench/shared_rate_limit.py --apiota build-release/apiota \\
           --image-tool build-release/tests/make_esp_image
"""

import argparse
import os
import re
import shutil
import subprocess
import tempfile

import postgres_mode
import run as harness

BUCKETS = 100_000
CLIENTS = 32

TAKE_A_TOKEN = """\\set key random(1, 100000)
UPDATE buckets SET tokens = LEAST(20, tokens + (now_ms() - at) * 0.0005) - 1, at = now_ms()
  WHERE key = 'address-' || :key RETURNING tokens >= 0;
"""


def shared_bucket_cost(postgres, root, seconds):
    uri = postgres.create_database()
    harness.run(["psql", "-XAtq", "-d", uri, "-c", f"""
        CREATE FUNCTION now_ms() RETURNS double precision LANGUAGE sql AS
          'SELECT extract(epoch FROM clock_timestamp()) * 1000';
        CREATE TABLE buckets (key TEXT PRIMARY KEY, tokens DOUBLE PRECISION NOT NULL, at DOUBLE PRECISION NOT NULL);
        INSERT INTO buckets SELECT 'address-' || i, 20, now_ms() FROM generate_series(1, {BUCKETS}) i;
        ALTER DATABASE {uri.rsplit('/', 1)[1]} SET synchronous_commit = off;"""])
    harness.run(["psql", "-XAtq", "-d", uri, "-c", "VACUUM ANALYZE buckets"])
    script = os.path.join(root, "take_a_token.sql")
    with open(script, "w") as f:
        f.write(TAKE_A_TOKEN)
    cpu = postgres.cpu_seconds()
    out = subprocess.run(["pgbench", "-n", "-M", "prepared", "-c", str(CLIENTS), "-j", "2", "-T", str(seconds),
                          "-f", script, uri], check=True, capture_output=True, text=True).stdout
    pg_cpu = postgres.cpu_seconds() - cpu
    transactions = int(re.search(r"number of transactions actually processed: (\d+)", out).group(1))
    tps = float(re.search(r"tps = ([\d.]+)", out).group(1))
    return tps, pg_cpu / transactions * 1e6


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--apiota", default=os.path.join(harness.HERE, "..", "build-release", "apiota"))
    p.add_argument("--image-tool", default=os.path.join(harness.HERE, "..", "build-release", "tests",
                                                         "make_esp_image"))
    p.add_argument("--devices", type=int, default=10000)
    p.add_argument("--duration", type=int, default=5)
    p.add_argument("--reps", type=int, default=3)
    args = p.parse_args()
    root = tempfile.mkdtemp(prefix="apiota-bench-")
    postgres = postgres_mode.Postgres()
    node = None
    try:
        node = harness.Apiota(args.apiota, args.image_tool, root, args.devices, "node",
                              store=postgres.create_database())
        side = postgres_mode.Side("PostgreSQL, 1 node", [node], postgres)
        poll = postgres_mode.Scenario("check-update", "check_update.lua", lambda r, a, i: [args.devices], 64)
        side.wrk(poll, 0, args.duration)  # warm: every device cached
        polls, buckets = [], []
        for rep in range(args.reps):
            cpu = side.cpu_seconds()
            r = side.wrk(poll, rep, args.duration)
            polls.append((r["rps"], (side.cpu_seconds() - cpu) / r["requests"] * 1e6))
            buckets.append(shared_bucket_cost(postgres, root, args.duration))
        poll_cpu = harness.median([c for _, c in polls])
        bucket_cpu = harness.median([c for _, c in buckets])
        print(f"medians of {args.reps} runs of {args.duration} s each\n")
        print("| what | per second | CPU µs each |\n|---|---:|---:|")
        print(f"| check-update on a PostgreSQL node, 64 conns (node + PostgreSQL) | "
              f"{harness.median([r for r, _ in polls]):,.0f} | {poll_cpu:.1f} |")
        print(f"| a shared bucket's update, {CLIENTS} clients (PostgreSQL alone) | "
              f"{harness.median([t for t, _ in buckets]):,.0f} | {bucket_cpu:.1f} |")
        print(f"\na shared bucket would add {bucket_cpu / poll_cpu:.2f}x a whole poll's CPU to every poll, "
              f"before the node's own side of the round trip")
    finally:
        if node is not None:
            node.stop()
        postgres.stop()
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
