#!/usr/bin/env python3
"""Cost of a poll's write-behind (store/sqlite/device_queries.cpp record_seen) in a large database.

Takes a filled apiota database of schema 12 or later (for example the one
bench/console_queries.py --keep leaves), copies it twice and times
record_seen's SQL on each copy, per poll, in batches of 2 000 polls in one
transaction (as the write-behind recorder writes them), 5 batches, median:

- "main before schema 12": kSchemaV12's counters and triggers removed and
  schema 10's devices_by_channel_version index made again, with the single
  UPDATE that always sets firmware_version (record_seen before schema 12);
- "schema 12": the database as it is, with record_seen's two statements: the
  UPDATE without firmware_version, and the full UPDATE only when it changed
  nothing (the device reports another version).

A database of an older schema (made by main's binary) is timed only as
it is, with main's write. Each is timed with two poll mixes: every poll reporting the version the device
already has (the steady state), and every poll reporting a new version (each
device updated since its last poll: the worst case). The copies are deleted.

    python3 bench/record_seen_cost.py /tmp/apiota-console-bench-XXXX/data/apiota.db
"""

import os
import shutil
import sqlite3
import sys
import time

FULL = ("UPDATE devices SET last_seen_at = MAX(COALESCE(last_seen_at, 0), ?1), last_address = ?2, "
        "firmware_version = CASE WHEN version_at <= ?1 THEN ?3 ELSE firmware_version END, "
        "version_at = MAX(version_at, ?1) WHERE row_id = ?4")
SAME_VERSION = ("UPDATE devices SET last_seen_at = MAX(COALESCE(last_seen_at, 0), ?1), last_address = ?2, "
                "version_at = MAX(version_at, ?1) WHERE row_id = ?4 AND firmware_version IS ?3")
TO_MAIN = """
DROP TRIGGER device_version_counts_insert; DROP TRIGGER device_version_counts_delete;
DROP TRIGGER device_version_counts_update; DROP TRIGGER attempt_counts_insert; DROP TRIGGER attempt_counts_delete;
DROP TRIGGER attempt_counts_update; DROP TRIGGER attempt_offered_update;
DROP TABLE device_version_counts; DROP TABLE attempt_outcome_hours; DROP TABLE release_attempt_counts;
DROP TABLE release_offered_devices;
CREATE INDEX devices_by_channel_version ON devices(project_id, channel, firmware_version);
"""
BATCH = 2000
RUNS = 5


def record_seen_main(db, polls):
    db.executemany(FULL, polls)


def record_seen_v12(db, polls):
    for poll in polls:
        if db.execute(SAME_VERSION, poll).rowcount == 0:
            db.execute(FULL, poll)


def run(src, label, setup, record_seen):
    work = src + ".seen"
    shutil.copy(src, work)
    try:
        db = sqlite3.connect(work, isolation_level=None)
        db.execute("PRAGMA journal_mode = WAL")
        db.execute("PRAGMA synchronous = NORMAL")
        if setup:
            db.executescript(setup)
        devices = db.execute("SELECT MAX(row_id) FROM devices").fetchone()[0]
        now = int(time.time() * 1000) + 10_000
        for mix in ("same version", "new version"):
            results = []
            for run_no in range(RUNS):
                rows = [1 + (i * 7919 + run_no * 104729) % devices for i in range(BATCH)]
                versions = dict(db.execute(
                    f"SELECT row_id, firmware_version FROM devices WHERE row_id IN ({','.join('?' * BATCH)})", rows))
                polls = [(now + run_no * 1000 + i, "10.0.0.9",
                          versions.get(row) if mix == "same version" else f"9.{run_no}.{i}", row)
                         for i, row in enumerate(rows)]
                started = time.perf_counter()
                db.execute("BEGIN")
                record_seen(db, polls)
                db.execute("COMMIT")
                results.append((time.perf_counter() - started) * 1e6 / BATCH)
            now += RUNS * 1000 + BATCH
            results.sort()
            print(f"{label:24} {mix:13}: {results[RUNS // 2]:6.1f} us a poll (median of {RUNS} batches of {BATCH})",
                  flush=True)
        db.close()
    finally:
        for suffix in ("", "-wal", "-shm"):
            if os.path.exists(work + suffix):
                os.remove(work + suffix)


def main():
    if len(sys.argv) != 2:
        print(__doc__)
        return 2
    src = sys.argv[1]
    with sqlite3.connect(src) as db:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        version = db.execute("PRAGMA user_version").fetchone()[0]
    if version < 12:  # a database main made: time main's write only, as it is
        run(src, f"main (schema {version})", None, record_seen_main)
        return 0
    run(src, "main before schema 12", TO_MAIN, record_seen_main)
    run(src, "schema 12", None, record_seen_v12)
    return 0


if __name__ == "__main__":
    sys.exit(main())
