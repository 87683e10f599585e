"""What a worker's memory holds at 100,000 (and 1,000,000) colleagues, and how long the index takes.

    .venv/bin/python bench/memory_bench.py [--sizes 100000,1000000] [--queries 50]

Each size runs in a fresh Python process (so one size's garbage does not count in the
next) that builds, in memory and without a database, what a web worker keeps:

* the matching index (``MatchIndex`` over N generated profiles, ``bench/match_bench.py``'s
  generator): build time, then ranking p50/p95 over realistic client requests;
* the network graph as ``NetworkGraph`` keeps it (networkx, a node per colleague with its
  profile attributes, about 3 acquaintances each).

After each step it reads ``/proc/self/smaps_rollup`` (RSS, MB) and reports the growth, and
it counts what the index holds object by object: numpy arrays (shareable between forked
workers untouched) and Python objects (whose pages get copied as soon as a worker touches
their reference counts).
Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import random
import re
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))


def rss_mb() -> float:
    text = Path("/proc/self/smaps_rollup").read_text()
    rss = re.search(r"^Rss:\s+(\d+) kB", text, re.MULTILINE)
    assert rss is not None, f"no Rss line in /proc/self/smaps_rollup:\n{text}"
    return int(rss.group(1)) / 1024


def footprint(root) -> tuple[float, float]:
    """MB reachable from ``root``: numpy array data, and everything else (Python objects).

    Counted object by object (``sys.getsizeof``), not from RSS: what the structure itself holds,
    without the allocator's free space or the garbage of building it.
    """
    import types

    import numpy as np

    seen: set[int] = set()
    stack, arrays, objects = [root], 0, 0
    while stack:
        obj = stack.pop()
        if id(obj) in seen or isinstance(obj, (type, types.ModuleType, types.FunctionType)):
            continue
        seen.add(id(obj))
        if isinstance(obj, np.ndarray):
            owned = obj.nbytes if obj.base is None else 0
            arrays += owned
            objects += sys.getsizeof(obj) - owned
            if obj.base is not None:
                stack.append(obj.base)
            continue
        objects += sys.getsizeof(obj)
        stack.extend(gc.get_referents(obj))
    return arrays / 2**20, objects / 2**20


def measure(n: int, queries: int, seed: int) -> dict:
    import statistics
    from datetime import date

    import networkx as nx
    from match_bench import make_profiles, make_requests

    from referral.domain.matching import MatchContext, MatchIndex

    gc.collect()
    out = {"n": n, "base": rss_mb()}
    rng = random.Random(seed)
    profiles = make_profiles(n, rng)
    requests = make_requests(queries, rng)
    out["profiles"] = rss_mb() - out["base"]
    t = time.perf_counter()
    index = MatchIndex(profiles)
    out["build_s"] = time.perf_counter() - t
    del profiles
    gc.collect()
    out["index"] = rss_mb() - out["base"]  # what stays once the input list is gone
    out["numpy"], out["objects"] = footprint(index)
    today = date.today()
    timings = []
    for client, reasons in requests:
        ctx = MatchContext(member_id=0, reasons=reasons, today=today, open_referrals={})
        t = time.perf_counter()
        index.rank(client, ctx, 10)
        timings.append((time.perf_counter() - t) * 1000)
    timings.sort()
    out["p50"], out["p95"] = statistics.median(timings), timings[int(0.95 * (len(timings) - 1))]
    before = rss_mb()
    g: nx.Graph[int] = nx.Graph()
    g.add_nodes_from((i, {"name": f"Colleague {i}", "specialties": ["bookkeeping", "payroll"], "capacity": 3,
                          "location": "Leeds", "remote": True, "paused_until": None}) for i in range(1, n + 1))
    g.add_edges_from((i, rng.randint(1, n)) for i in range(1, n + 1) for _ in range(3))
    out["graph"] = rss_mb() - before
    out["total"] = rss_mb()
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", default="100000")
    ap.add_argument("--queries", type=int, default=50)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--one", type=int, help=argparse.SUPPRESS)  # the child process: measure one size
    args = ap.parse_args()
    if args.one:
        print("RESULT " + json.dumps(measure(args.one, args.queries, args.seed)))
        return 0
    rows = []
    for n in (int(s) for s in args.sizes.split(",")):
        out = subprocess.run([sys.executable, __file__, "--one", str(n), "--queries", str(args.queries),
                              "--seed", str(args.seed)], capture_output=True, text=True, check=True)
        rows.append(json.loads(next(ln for ln in out.stdout.splitlines() if ln.startswith("RESULT "))[7:]))
    load = " / ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"In-process, no database; {os.cpu_count()} CPUs; load average after the run {load}\n")
    print("| colleagues | index build (s) | ranking p50 (ms) | p95 (ms) | interpreter + libraries (MB) "
          "| index, RSS growth (MB) | index: numpy arrays (MB) | index: Python objects (MB) | graph with profiles (MB) "
          "| process total (MB) |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        print(f"| {r['n']:,} | {r['build_s']:.1f} | {r['p50']:.1f} | {r['p95']:.1f} | {r['base']:.0f} "
              f"| {r['index']:.0f} | {r['numpy']:.0f} | {r['objects']:.0f} | {r['graph']:.0f} | {r['total']:.0f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
