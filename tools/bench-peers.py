#!/usr/bin/env python3
"""The peers of tools/bench: the same fleet loaded into SQLite and DuckDB, and the
same questions asked of them. One operation per run, so that tools/bench can measure
each one's wall time and peak memory from outside (/usr/bin/time); the time of the
operation itself, without Python's start-up, is printed as `inner <seconds>`.

  bench-peers.py sqlite|duckdb import JSONL DB
  bench-peers.py sqlite|duckdb vm DB VM AT
  bench-peers.py sqlite|duckdb kb DB KB
  bench-peers.py sqlite|duckdb replay DB
  bench-peers.py sqlite|duckdb export DB CSV
"""
import sys
import time


def sqlite(op, args):
    import sqlite3
    if op == "import":
        path, db = args
        con = sqlite3.connect(db)
        con.execute("PRAGMA journal_mode=WAL")
        con.execute("""CREATE TABLE events (seq INTEGER PRIMARY KEY, json TEXT NOT NULL,
            vm TEXT GENERATED ALWAYS AS (json_extract(json, '$.vm')) STORED,
            time TEXT GENERATED ALWAYS AS (json_extract(json, '$.time')) STORED,
            type TEXT GENERATED ALWAYS AS (json_extract(json, '$.type')) STORED)""")
        with open(path, "r", encoding="utf-8") as f:
            with con:
                con.executemany("INSERT INTO events (json) VALUES (?)", ((line,) for line in f if line.strip()))
        con.execute("CREATE INDEX events_vm_time ON events (vm, time)")
        con.commit()
        con.close()
        return
    con = sqlite3.connect(args[0])
    if op == "vm":
        rows = con.execute("SELECT seq, json FROM events WHERE vm = ? AND time <= ? ORDER BY time, seq", (args[1], args[2])).fetchall()
        print("rows", len(rows))
    elif op == "kb":
        rows = con.execute("""SELECT e.vm, e.time FROM events e, json_each(e.json, '$.patches') p
            WHERE e.type = 'install' AND json_extract(p.value, '$.kb') = ? AND json_extract(p.value, '$.state') = 'Installed'
            ORDER BY e.vm, e.time""", (args[1],)).fetchall()
        print("rows", len(rows))
    elif op == "replay":
        n = 0
        for _ in con.execute("SELECT vm, time, seq, json FROM events ORDER BY vm, time, seq"):
            n += 1
        print("rows", n)
    elif op == "export":
        import csv
        with open(args[1], "w", newline="") as f:
            w = csv.writer(f)
            w.writerow(["seq", "time", "type", "vm", "json"])
            for row in con.execute("SELECT seq, time, type, vm, json FROM events ORDER BY seq"):
                w.writerow(row)


def duckdb(op, args):
    import duckdb as d
    if op == "import":
        path, db = args
        con = d.connect(db)
        con.execute(f"CREATE TABLE events AS SELECT row_number() OVER () AS seq, * FROM read_json('{path}', format='newline_delimited', sample_size=-1)")
        con.close()
        return
    con = d.connect(args[0], read_only=True)
    if op == "vm":
        rows = con.execute("SELECT * FROM events WHERE vm = ? AND time <= CAST(? AS TIMESTAMP) ORDER BY time, seq", [args[1], args[2]]).fetchall()
        print("rows", len(rows))
    elif op == "kb":
        rows = con.execute("""SELECT vm, time FROM (SELECT vm, time, unnest(patches) AS p FROM events WHERE type = 'install')
            WHERE p.kb = ? AND p.state = 'Installed' ORDER BY vm, time""", [args[1]]).fetchall()
        print("rows", len(rows))
    elif op == "replay":
        cur = con.execute("SELECT vm, time, seq, type, patches, uninstalled, restoredBaseline, status FROM events ORDER BY vm, time, seq")
        n = 0
        while True:
            batch = cur.fetchmany(100_000)
            if not batch:
                break
            n += len(batch)
        print("rows", n)
    elif op == "export":
        con.execute(f"COPY (SELECT * FROM events ORDER BY seq) TO '{args[1]}' (HEADER, DELIMITER ',')")


if __name__ == "__main__":
    peer, op, args = sys.argv[1], sys.argv[2], sys.argv[3:]
    started = time.perf_counter()
    {"sqlite": sqlite, "duckdb": duckdb}[peer](op, args)
    print("inner", round(time.perf_counter() - started, 4))
