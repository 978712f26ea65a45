#!/usr/bin/env python3
"""tools/bench fleet: the benchmark fleet (10,000 VMs, 12 months by default),
generated once, then patchlog, SQLite and DuckDB on the same data in the same run.
Prints one Markdown table (and the command that made it) for docs/benchmarks.md.

Each operation runs as its own process under /usr/bin/time, for wall time and peak
memory (maximum resident set size). In-process figures for patchlog come from
patchlog-bench; for the peers, from the time of the query inside Python.
"""
import json
import os
import shutil
import statistics
import subprocess
import sys
import time

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
bin_dir = sys.argv[1]
vms = int(sys.argv[2]) if len(sys.argv) > 2 else 10000
scales = [int(x) for x in sys.argv[3].split(",")] if len(sys.argv) > 3 else [1]
data = os.path.join(root, "bench-data")
os.makedirs(data, exist_ok=True)
patchlog = os.path.join(bin_dir, "patchlog")
bench = os.path.join(bin_dir, "patchlog-bench")
peers = os.path.join(root, "tools", "bench-peers.py")


def timed(cmd, stdout=subprocess.DEVNULL):
    """Runs cmd under /usr/bin/time; returns (wall seconds, peak MB, output)."""
    t = time.perf_counter()
    p = subprocess.run(["/usr/bin/time", "-f", "%M"] + cmd, stdout=subprocess.PIPE if stdout is None else stdout,
                       stderr=subprocess.PIPE, text=True)
    wall = time.perf_counter() - t
    if p.returncode != 0:
        sys.exit(f"failed: {' '.join(cmd)}\n{p.stderr}")
    peak_kb = int(p.stderr.strip().splitlines()[-1])
    return wall, peak_kb / 1024, p.stdout or ""


def inner(out):
    for line in out.splitlines():
        if line.startswith("inner "):
            return float(line.split()[1])
    return None


def median_runs(cmd, n=7):
    walls, peaks = [], []
    for _ in range(n):
        w, m, _ = timed(cmd)
        walls.append(w)
        peaks.append(m)
    return statistics.median(walls), max(peaks)


def du(path):
    if os.path.isfile(path):
        return os.path.getsize(path)
    return sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(path) for f in fs)


def fleet(n):
    path = os.path.join(data, f"fleet-{n}x12.jsonl")
    if not os.path.exists(path):
        subprocess.run([patchlog, "simulate", "--vms", str(n), "--months", "12", "--seed", "1", "--out", path], check=True)
    return path


results = {}
jsonl = fleet(vms)
events = sum(1 for _ in open(jsonl, "rb"))
size_mb = os.path.getsize(jsonl) / 1e6
with open(jsonl) as f:
    for line in f:
        if '"vm":' in line and "vm00001" in line:
            vm = json.loads(line)["vm"]
            break
with open(jsonl) as f:
    kb = next(json.loads(l)["kb"] for l in f if '"type":"release"' in l and '"kind":"hotpatch"' in l)
at = "2025-06-15T00:00:00Z"

# patchlog
log = os.path.join(data, f"patchlog-{vms}.log")
shutil.rmtree(log, ignore_errors=True)
subprocess.run([patchlog, "init", "--log", log], check=True, stdout=subprocess.DEVNULL)
results[("import", "patchlog")] = timed([patchlog, "import", "--log", log, jsonl])[:2]
results[("bytes", "patchlog")] = du(log) / events
results[("state-cold", "patchlog")] = median_runs([patchlog, "state", "--log", log, "--vm", vm, "--at", at, "--format", "json"])
results[("kb-cold", "patchlog")] = median_runs([patchlog, "export", "--log", log, "--kb", kb, "--type", "install", "--format", "csv"], 7)
results[("kb-effective-cold", "patchlog")] = median_runs([patchlog, "when", "--log", log, "--kb", kb, "--format", "csv"], 3)
audit_at = "2026-01-01"
results[("findings", "patchlog")] = median_runs([patchlog, "findings", "--log", log, "--at", audit_at, "--format", "json"], 3)
results[("exposure", "patchlog")] = median_runs([patchlog, "exposure", "--log", log, "--at", audit_at, "--format", "json"], 3)
results[("verify", "patchlog")] = median_runs([patchlog, "verify", "--log", log], 3)
keys = os.path.join(data, "bench-key")
for suffix in [".key", ".pub"]:
    if os.path.exists(keys + suffix):
        os.remove(keys + suffix)
subprocess.run([patchlog, "keygen", "--out", keys], check=True, stdout=subprocess.DEVNULL)
cp = os.path.join(data, "bench-checkpoint.txt")
results[("checkpoint", "patchlog")] = median_runs([patchlog, "checkpoint", "--log", log, "--key", keys + ".key", "--out", cp], 3)
results[("verify-cp", "patchlog")] = median_runs([patchlog, "verify", "--log", log, "--checkpoint", cp, "--key", keys + ".pub"], 3)
results[("replay-cold", "patchlog")] = median_runs([patchlog, "fleet", "--log", log, "--format", "csv"], 3)
csv = os.path.join(data, "patchlog.csv")
results[("export", "patchlog")] = median_runs([patchlog, "export", "--log", log, "--format", "csv", "--out", csv], 3)
w, m, out = timed([bench, "fleet", "--log", log, "--vm", vm, "--at", at, "--kb", kb, "--runs", "5"], stdout=None)
inproc = dict((l.split()[0], float(l.split()[1])) for l in out.splitlines() if l.strip())

# peers
for peer in ["sqlite", "duckdb"]:
    db = os.path.join(data, f"{peer}-{vms}.db")
    for suffix in ["", "-wal", "-shm"]:
        if os.path.exists(db + suffix):
            os.remove(db + suffix)
    w, m, out = timed(["python3", peers, peer, "import", jsonl, db], stdout=None)
    results[("import", peer)] = (w, m)
    results[("bytes", peer)] = du(db) / events
    for op, args in [("state-cold", ["vm", db, vm, at]), ("kb-cold", ["kb", db, kb]), ("replay-cold", ["replay", db])]:
        walls, peaks, inners = [], [], []
        for _ in range(3 if op != "replay-cold" else 1):
            w, m, out = timed(["python3", peers, peer] + args, stdout=None)
            walls.append(w); peaks.append(m); inners.append(inner(out))
        results[(op, peer)] = (statistics.median(walls), max(peaks))
        results[(op + "-inner", peer)] = statistics.median(inners)
    results[("export", peer)] = median_runs(["python3", peers, peer, "export", db, os.path.join(data, f"{peer}.csv")], 3)

# memory as the log grows
growth = []
for s in scales:
    if s == 1:
        growth.append((s, events, results[("import", "patchlog")][1], results[("export", "patchlog")][1]))
        continue
    big = fleet(vms * s)
    big_log = os.path.join(data, f"patchlog-{vms * s}.log")
    shutil.rmtree(big_log, ignore_errors=True)
    subprocess.run([patchlog, "init", "--log", big_log], check=True, stdout=subprocess.DEVNULL)
    _, mi, _ = timed([patchlog, "import", "--log", big_log, big])
    _, me, _ = timed([patchlog, "export", "--log", big_log, "--format", "csv", "--out", os.path.join(data, "big.csv")])
    growth.append((s, sum(1 for _ in open(big, "rb")), mi, me))
    os.remove(os.path.join(data, "big.csv"))


def cell(key, peer):
    v = results.get((key, peer))
    if v is None:
        return "-"
    if isinstance(v, tuple):
        return f"{v[0]:.3f} s, {v[1]:.0f} MB"
    return f"{v:.1f}"


print(f"Fleet: {vms:,} VMs, 12 months, seed 1: {events:,} events, {size_mb:,.0f} MB of JSON Lines. "
      f"VM for the state query: vm00001 at {at}; KB: {kb} (the year's first hotpatch).\n")
print("| operation | patchlog | SQLite | DuckDB | patchlog vs DuckDB | target |")
print("|---|---|---|---|---|---|")
def ratio(key, better="lower"):
    a, b = results[(key, "patchlog")], results[(key, "duckdb")]
    a, b = (a[0], b[0]) if isinstance(a, tuple) else (a, b)
    return f"{b / a:.1f}x faster" if a < b else f"{a / b:.1f}x slower"
print(f"| import (wall, peak memory) | {cell('import','patchlog')} | {cell('import','sqlite')} | {cell('import','duckdb')} | {ratio('import')} | 3x faster than DuckDB |")
print(f"| on disk, bytes/event | {cell('bytes','patchlog')} | {cell('bytes','sqlite')} | {cell('bytes','duckdb')} | {results[('bytes','duckdb')] / results[('bytes','patchlog')]:.1f}x smaller | ≤ 24 |")
print(f"| one VM's state at T, cold process | {cell('state-cold','patchlog')} | {cell('state-cold','sqlite')} | {cell('state-cold','duckdb')} | {ratio('state-cold')} | ≤ 20 ms |")
print(f"| one VM's state at T, in process | {inproc['state']*1e3:.1f} ms | {results[('state-cold-inner','sqlite')]*1e3:.1f} ms (query) | {results[('state-cold-inner','duckdb')]*1e3:.1f} ms (query) | | |")
print(f"| every install of one KB, cold process | {cell('kb-cold','patchlog')} | {cell('kb-cold','sqlite')} | {cell('kb-cold','duckdb')} | {ratio('kb-cold')} | faster than DuckDB, ≥ 50x SQLite |")
print(f"| every install of one KB, in process | {inproc['kb']:.3f} s | {results[('kb-cold-inner','sqlite')]:.3f} s | {results[('kb-cold-inner','duckdb')]:.3f} s | | |")
print(f"| every install of one KB with effective and uninstall times (`when --kb`: a fold of every VM), cold process | {cell('kb-effective-cold','patchlog')} | | | | |")
print(f"| full replay to the fleet's state, cold process | {cell('replay-cold','patchlog')} | {cell('replay-cold','sqlite')} (ordered scan) | {cell('replay-cold','duckdb')} (ordered scan) | {ratio('replay-cold')} | |")
print(f"| full replay, in process | {inproc['replay']:.3f} s = {events / inproc['replay'] / 1e6:.1f} M events/s | | | | ≥ 10 M events/s |")
print(f"| full CSV export (median of 3) | {cell('export','patchlog')} | {cell('export','sqlite')} | {cell('export','duckdb')} (COPY) | {ratio('export')} | ≤ half of DuckDB's COPY |")
print()
print("patchlog alone (no peer does these), cold process, median:\n")
print("| operation | wall, peak memory |")
print("|---|---|")
print(f"| findings of every rule over the fleet (`findings --at {audit_at} --format json`), one replay pass | {cell('findings','patchlog')} |")
print(f"| exposure windows and percentiles (`exposure --at {audit_at} --format json`), one replay pass | {cell('exposure','patchlog')} |")
print(f"| verify: every CRC and hash-chain link | {cell('verify','patchlog')} |")
print(f"| checkpoint: Merkle root over every record, signed | {cell('checkpoint','patchlog')} |")
print(f"| verify --checkpoint: CRCs, chain, and the Merkle root recomputed | {cell('verify-cp','patchlog')} |")
print()
print("Peak memory as the log grows (import and CSV export):\n")
print("| fleet | events | import peak MB | export peak MB |")
print("|---|---|---|---|")
for s, n, mi, me in growth:
    print(f"| {s}x | {n:,} | {mi:.0f} | {me:.0f} |")
