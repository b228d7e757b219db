#!/usr/bin/env python3
"""The floor under issue 5's LogInteraction target: what SQLite alone writes per second on this
machine for the rows one logged interaction adds, with none of Rapport in the way.

It copies a seeded store (SQLite's backup API, so a live log is included) and then, on the copy,
commits groups of logged-interaction rows the way the daemon's group commit does — 64 per
transaction, WAL, synchronous = FULL, foreign keys on — for one customer or for customers drawn at
random from the store. Each row is an `interactions` row (all of the store's indexes on it) and,
with `--activity`, the customer's `customer_activity` upsert for the day. Nothing is decoded,
checked, re-segmented or sent: the daemon cannot log faster than this on the same disk.

Usage (seed a store first; the source is only read):
    rapportd seed --data-dir /tmp/floor-src --customers 1000 --interactions-per-customer 100 --seed 7
    python3 benchmarks/log-write-floor/floor.py --store /tmp/floor-src --customers one
    python3 benchmarks/log-write-floor/floor.py --store /tmp/floor-src --customers random --activity
"""

import argparse
import os
import random
import shutil
import sqlite3
import sys
import tempfile
import time

DATABASE_FILE = "rapport.sqlite"
GROUP = 64


def parse_arguments():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--store", required=True, help="a data directory rapportd seeded (only read)")
    parser.add_argument("--customers", choices=["one", "random"], default="random")
    parser.add_argument("--activity", action="store_true", help="also upsert customer_activity per row")
    parser.add_argument("--rows", type=int, default=60_000, help="rows to commit (default 60,000)")
    parser.add_argument(
        "--checkpoint", type=int, default=1000,
        help="SQLite's automatic checkpoint threshold in pages (default 1,000, SQLite's own); 0 turns it off")
    parser.add_argument("--seed", type=int, default=1)
    return parser.parse_args()


def copy_store(source_directory, scratch):
    """A copy of the store's database in `scratch`; the source's log is folded in by the backup."""
    source_path = os.path.join(source_directory, DATABASE_FILE)
    if not os.path.exists(source_path):
        sys.exit(f"floor.py: no {DATABASE_FILE} in {source_directory}; seed a store with `rapportd seed` first")
    target_path = os.path.join(scratch, DATABASE_FILE)
    source = sqlite3.connect(f"file:{source_path}?mode=ro", uri=True)
    target = sqlite3.connect(target_path)
    source.backup(target)
    source.close()
    target.close()
    return target_path


def run(path, arguments):
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA journal_mode = WAL")
    db.execute("PRAGMA synchronous = FULL")
    db.execute("PRAGMA foreign_keys = ON")
    db.execute(f"PRAGMA wal_autocheckpoint = {arguments.checkpoint}")
    customers = [row[0] for row in db.execute("SELECT id FROM customers ORDER BY id")]
    if not customers:
        sys.exit("floor.py: the store has no customers")
    if arguments.customers == "one":
        customers = customers[:1]
    generator = random.Random(arguments.seed)
    insert = (
        "INSERT INTO interactions (id, customer_id, channel, kind, occurred_at, recorded_at, employee_id,"
        " product_code, summary) VALUES (?, ?, 'mobileApp', 'transaction', ?, ?, '', '', 'Card payment')")
    upsert = (
        "INSERT INTO customer_activity (customer_id, day, contacts, complaints) VALUES (?, ?, 1, 0)"
        " ON CONFLICT (customer_id, day) DO UPDATE SET contacts = contacts + 1")
    written = 0
    started = time.monotonic()
    while written < arguments.rows:
        db.execute("BEGIN IMMEDIATE")
        for _ in range(min(GROUP, arguments.rows - written)):
            customer = generator.choice(customers)
            now = int(time.time() * 1000)
            # "int_~" sorts after every generated id, so the copy's ids stay unique and ordered.
            db.execute(insert, (f"int_~{written:012d}", customer, now, now))
            if arguments.activity:
                db.execute(upsert, (customer, now // 86_400_000))
            written += 1
        db.execute("COMMIT")
    elapsed = time.monotonic() - started
    db.close()
    return written / elapsed


def main():
    arguments = parse_arguments()
    scratch = tempfile.mkdtemp(prefix="rapport-write-floor-")
    try:
        path = copy_store(arguments.store, scratch)
        rate = run(path, arguments)
        parts = "row + activity" if arguments.activity else "row"
        checkpoint = f"checkpoint at {arguments.checkpoint} pages" if arguments.checkpoint else "no checkpoint"
        print(f"{arguments.customers} customer(s), {parts}, {GROUP} per commit, FULL, {checkpoint}: {rate:,.0f} rows/s")
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
