#!/usr/bin/env python3
"""tools/bench fleet: the benchmark fleet (10,000 VMs, 12 months by default),
generated once, then patchlog, SQLite and DuckDB on the same data in the same run,
and patchlog's full replay on the same fleet delivered 0 %, 2 % and 20 % late.
Prints Markdown tables (and the command that made them) for docs/benchmarks.md;
progress goes to standard error.

  bench-fleet.py BIN [VMS] [SCALES] [--peers|--no-peers]

The fleet is realistic, as Azure delivers it: `patchlog simulate --late 0.02` (2 %
of events delivered 1 hour to 4 weeks late, after events that happened later),
opaque event ids, a random GUID activity id per assessment and install. The peers
run by default below 100,000 VMs (at 100,000, about 13 million events and 7 GB of
JSON Lines, only with --peers: they take long).

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
flags = [a for a in sys.argv[1:] if a.startswith("--")]
positional = [a for a in sys.argv[1:] if not a.startswith("--")]
unknown = [f for f in flags if f not in ("--peers", "--no-peers")]
if unknown or not positional:
    sys.exit(f"usage: bench-fleet.py BIN [VMS] [SCALES] [--peers|--no-peers] (unknown: {' '.join(unknown)})")
bin_dir = positional[0]
vms = int(positional[1]) if len(positional) > 1 else 10000
scales = [int(x) for x in positional[2].split(",")] if len(positional) > 2 else [1]
with_peers = "--peers" in flags or ("--no-peers" not in flags and vms < 100000)
command = os.environ.get("BENCH_COMMAND", "tools/bench fleet " + " ".join(sys.argv[2:]))
data = os.path.join(root, "bench-data")
os.makedirs(data, exist_ok=True)
patchlog = os.path.join(bin_dir, "patchlog")
bench = os.path.join(bin_dir, "patchlog-bench")
peers = os.path.join(root, "tools", "bench-peers.py")
python = sys.executable
began = time.perf_counter()
LATE = 0.02


def progress(message):
    """A line on standard error: time since the start, and what is being done."""
    s = int(time.perf_counter() - began)
    print(f"bench {s // 3600}:{s // 60 % 60:02d}:{s % 60:02d} {message}", file=sys.stderr, flush=True)


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


def median_runs(cmd, n=7, label=None, before=None):
    """Median wall time and peak memory of n runs; `before` runs ahead of each (not timed)."""
    walls, peaks = [], []
    for i in range(n):
        progress(f"{label or ' '.join(os.path.basename(c) for c in cmd[:2])}: run {i + 1} of {n}")
        if before:
            before()
        w, m, _ = timed(cmd)
        walls.append(w)
        peaks.append(m)
    return statistics.median(walls), max(peaks)


def du(path):
    if os.path.isfile(path):
        return os.path.getsize(path)
    return sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(path) for f in fs)


def late_name(late):
    return f"{late * 100:g}"


def fleet(n, late=LATE):
    """The fleet's JSON Lines (generated unless already in bench-data/); the file's
    name carries every option, so a fleet of other options is never taken for it."""
    path = os.path.join(data, f"fleet-{n}vms-12m-seed1-late{late_name(late)}-opaque.jsonl")
    if not os.path.exists(path):
        progress(f"simulating {n:,} VMs, 12 months, {late_name(late)} % late into {os.path.basename(path)}")
        w, m, _ = timed([patchlog, "simulate", "--vms", str(n), "--months", "12", "--seed", "1", "--late", str(late),
                         "--ids", "opaque", "--out", path + ".part"])
        os.rename(path + ".part", path)
        simulated[path] = (w, m)
    return path


def count_lines(path):
    progress(f"counting the events of {os.path.basename(path)}")
    n = 0
    with open(path, "rb") as f:
        while True:
            chunk = f.read(1 << 24)
            if not chunk:
                return n
            n += chunk.count(b"\n")


def new_log(path):
    shutil.rmtree(path, ignore_errors=True)
    subprocess.run([patchlog, "init", "--log", path], check=True, stdout=subprocess.DEVNULL)


simulated = {}
results = {}
jsonl = fleet(vms)
events = count_lines(jsonl)
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
new_log(log)
progress(f"patchlog import of {events:,} events")
results[("import", "patchlog")] = timed([patchlog, "import", "--log", log, jsonl])[:2]
results[("bytes", "patchlog")] = du(log) / events
results[("state-cold", "patchlog")] = median_runs([patchlog, "state", "--log", log, "--vm", vm, "--at", at, "--format", "json"], 7, label="patchlog state --vm (cold)")
results[("kb-cold", "patchlog")] = median_runs([patchlog, "export", "--log", log, "--kb", kb, "--type", "install", "--format", "csv"], 7, label="patchlog export --kb (cold)")
results[("kb-effective-cold", "patchlog")] = median_runs([patchlog, "when", "--log", log, "--kb", kb, "--format", "csv"], 3, label="patchlog when --kb (cold)")
audit_at = "2026-01-01"
results[("findings", "patchlog")] = median_runs([patchlog, "findings", "--log", log, "--at", audit_at, "--format", "json"], 3, label="patchlog findings")
results[("exposure", "patchlog")] = median_runs([patchlog, "exposure", "--log", log, "--at", audit_at, "--format", "json"], 3, label="patchlog exposure")
results[("verify", "patchlog")] = median_runs([patchlog, "verify", "--log", log], 3, label="patchlog verify")
keys = os.path.join(data, "bench-key")
for suffix in [".key", ".pub"]:
    if os.path.exists(keys + suffix):
        os.remove(keys + suffix)
subprocess.run([patchlog, "keygen", "--out", keys], check=True, stdout=subprocess.DEVNULL)
cp = os.path.join(data, "bench-checkpoint.txt")
# patchlog never overwrites a checkpoint: each run writes a new one.
def remove_checkpoint():
    if os.path.exists(cp):
        os.remove(cp)
results[("checkpoint", "patchlog")] = median_runs([patchlog, "checkpoint", "--log", log, "--key", keys + ".key", "--out", cp], 3,
                                                  label="patchlog checkpoint", before=remove_checkpoint)
results[("verify-cp", "patchlog")] = median_runs([patchlog, "verify", "--log", log, "--checkpoint", cp, "--key", keys + ".pub"], 3, label="patchlog verify --checkpoint")
results[("replay-cold", "patchlog")] = median_runs([patchlog, "fleet", "--log", log, "--format", "csv"], 3, label="patchlog fleet --format csv (cold)")
csv = os.path.join(data, "patchlog.csv")
results[("export", "patchlog")] = median_runs([patchlog, "export", "--log", log, "--format", "csv", "--out", csv], 3, label="patchlog export --format csv")
os.remove(csv)  # several GB at 100,000 VMs
progress("patchlog-bench fleet: in-process state, kb, replay and export, 5 runs each")
w, m, out = timed([bench, "fleet", "--log", log, "--vm", vm, "--at", at, "--kb", kb, "--runs", "5"], stdout=None)
inproc = dict((l.split()[0], float(l.split()[1])) for l in out.splitlines() if l.strip())

# peers
for peer in ["sqlite", "duckdb"] if with_peers else []:
    db = os.path.join(data, f"{peer}-{vms}.db")
    for suffix in ["", "-wal", "-shm"]:
        if os.path.exists(db + suffix):
            os.remove(db + suffix)
    progress(f"{peer} import")
    w, m, out = timed([python, peers, peer, "import", jsonl, db], stdout=None)
    results[("import", peer)] = (w, m)
    results[("bytes", peer)] = du(db) / events
    for op, args in [("state-cold", ["vm", db, vm, at]), ("kb-cold", ["kb", db, kb]), ("replay-cold", ["replay", db])]:
        walls, peaks, inners = [], [], []
        n = 3 if op != "replay-cold" else 1
        for i in range(n):
            progress(f"{peer} {op}: run {i + 1} of {n}")
            w, m, out = timed([python, peers, peer] + args, stdout=None)
            walls.append(w); peaks.append(m); inners.append(inner(out))
        results[(op, peer)] = (statistics.median(walls), max(peaks))
        results[(op + "-inner", peer)] = statistics.median(inners)
    results[("export", peer)] = median_runs([python, peers, peer, "export", db, os.path.join(data, f"{peer}.csv")], 3, label=f"{peer} export")
    os.remove(os.path.join(data, f"{peer}.csv"))

# memory as the log grows
growth = []
for s in scales:
    if s == 1:
        growth.append((s, events, results[("import", "patchlog")][1], results[("export", "patchlog")][1]))
        continue
    big = fleet(vms * s)
    big_log = os.path.join(data, f"patchlog-{vms * s}.log")
    new_log(big_log)
    progress(f"{s}x fleet: patchlog import")
    _, mi, _ = timed([patchlog, "import", "--log", big_log, big])
    progress(f"{s}x fleet: patchlog export --format csv")
    _, me, _ = timed([patchlog, "export", "--log", big_log, "--format", "csv", "--out", os.path.join(data, "big.csv")])
    growth.append((s, count_lines(big), mi, me))
    os.remove(os.path.join(data, "big.csv"))

# the full replay of the same fleet delivered 0 %, 2 % and 20 % late: the same
# events, appended in another order
lateness = []
for late in [0.0, LATE, 0.2]:
    if late == LATE:
        path, late_log, n = jsonl, log, events
    else:
        path = fleet(vms, late)
        n = count_lines(path)
        late_log = os.path.join(data, f"patchlog-{vms}-late{late_name(late)}.log")
        new_log(late_log)
        progress(f"{late_name(late)} % late: patchlog import of {n:,} events")
        imported = timed([patchlog, "import", "--log", late_log, path])[:2]
    if late == LATE:
        imported = results[("import", "patchlog")]
    cold = median_runs([patchlog, "fleet", "--log", late_log, "--format", "csv"], 3,
                       label=f"{late_name(late)} % late: patchlog fleet --format csv (cold)")
    progress(f"{late_name(late)} % late: patchlog-bench fleet --only replay, 5 runs")
    _, _, out = timed([bench, "fleet", "--log", late_log, "--only", "replay", "--runs", "5"], stdout=None)
    replay = dict((l.split()[0], float(l.split()[1])) for l in out.splitlines() if l.strip())["replay"]
    lateness.append((late, n, imported, cold, replay))
    if path != jsonl:
        os.remove(path)  # several GB at 100,000 VMs; made again in a minute or two when needed


def cell(key, peer):
    v = results.get((key, peer))
    if v is None:
        return "-"
    if isinstance(v, tuple):
        return f"{v[0]:.3f} s, {v[1]:.0f} MB"
    return f"{v:.1f}"


def ratio(key):
    a, b = results.get((key, "patchlog")), results.get((key, "duckdb"))
    if a is None or b is None:
        return "-"
    a, b = (a[0], b[0]) if isinstance(a, tuple) else (a, b)
    return f"{b / a:.1f}x faster" if a < b else f"{a / b:.1f}x slower"


def rate(n, seconds):
    per = n / seconds
    return f"{per / 1e6:.1f} M events/s" if per >= 1e6 else f"{per / 1e3:,.0f} k events/s"


def inner_cell(key, peer, scale=1, unit=" s", digits=3):
    v = results.get((key, peer))
    return "-" if v is None else f"{v * scale:.{digits}f}{unit}"


made = simulated.get(jsonl)
print(f"Command: `{command}`.\n")
print(f"Fleet: {vms:,} VMs, 12 months, seed 1, {late_name(LATE)} % of events delivered late (1 hour to 4 weeks, log-uniform), "
      f"opaque event ids, a random GUID activity id per assessment and install: {events:,} events, {size_mb:,.0f} MB of JSON Lines"
      + (f" (simulated in {made[0]:.1f} s, peak {made[1]:.0f} MB)" if made else "")
      + f". VM for the state query: vm00001 at {at}; KB: {kb} (the year's first hotpatch)."
      + ("" if with_peers else " SQLite and DuckDB not run (`--peers` runs them).") + "\n")
print("| operation | patchlog | SQLite | DuckDB | patchlog vs DuckDB | target |")
print("|---|---|---|---|---|---|")
smaller = (f"{results[('bytes','duckdb')] / results[('bytes','patchlog')]:.1f}x smaller" if ("bytes", "duckdb") in results else "-")
print(f"| import (wall, peak memory) | {cell('import','patchlog')} | {cell('import','sqlite')} | {cell('import','duckdb')} | {ratio('import')} | 3x faster than DuckDB |")
print(f"| on disk, bytes/event | {cell('bytes','patchlog')} | {cell('bytes','sqlite')} | {cell('bytes','duckdb')} | {smaller} | ≤ 24 |")
print(f"| one VM's state at T, cold process | {cell('state-cold','patchlog')} | {cell('state-cold','sqlite')} | {cell('state-cold','duckdb')} | {ratio('state-cold')} | ≤ 20 ms |")
print(f"| one VM's state at T, in process | {inproc['state']*1e3:.1f} ms | {inner_cell('state-cold-inner','sqlite', 1e3, ' ms', 1)} (query) | {inner_cell('state-cold-inner','duckdb', 1e3, ' ms', 1)} (query) | | |")
print(f"| every install of one KB, cold process | {cell('kb-cold','patchlog')} | {cell('kb-cold','sqlite')} | {cell('kb-cold','duckdb')} | {ratio('kb-cold')} | faster than DuckDB, ≥ 50x SQLite |")
print(f"| every install of one KB, in process | {inproc['kb']:.3f} s | {inner_cell('kb-cold-inner','sqlite')} | {inner_cell('kb-cold-inner','duckdb')} | | |")
print(f"| every install of one KB with effective and uninstall times (`when --kb`: a fold of every VM), cold process | {cell('kb-effective-cold','patchlog')} | | | | |")
print(f"| full replay to the fleet's state, cold process | {cell('replay-cold','patchlog')} | {cell('replay-cold','sqlite')} (ordered scan) | {cell('replay-cold','duckdb')} (ordered scan) | {ratio('replay-cold')} | |")
print(f"| full replay, in process | {inproc['replay']:.3f} s = {rate(events, inproc['replay'])} | | | | ≥ 10 M events/s |")
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
print()
print(f"Full replay of the same {vms:,}-VM fleet delivered late (command: `{command}`): the same events, "
      "appended in delivery order; cold process `patchlog fleet --format csv` (median of 3), "
      "in process `patchlog-bench fleet --only replay` (median of 5):\n")
print("| delivered late | events | import (wall, peak memory) | full replay, cold process | full replay, in process |")
print("|---|---|---|---|---|")
for late, n, imported, cold, replay in lateness:
    print(f"| {late_name(late)} % | {n:,} | {imported[0]:.3f} s, {imported[1]:.0f} MB | {cold[0]:.3f} s, {cold[1]:.0f} MB | "
          f"{replay:.3f} s = {rate(n, replay)} |")
