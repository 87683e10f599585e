"""Issue 16's "done when", measured: a network of 100,000, the Procfile's web command, a cold start.

    .venv/bin/python bench/cold_start_bench.py [--colleagues 100000] [--workers 3] [--postgres]
                                               [--first 9] [--warm 100] [--csv FILE]

For each database (a SQLite file; with ``--postgres`` also a throwaway PostgreSQL cluster):

1. migrate, import N generated colleagues with ``flask --app web colleagues import``
   (``bench/import_bench.py``'s CSV; timed) and create a member with ``flask member create``;
2. start the Procfile's ``web`` line (gunicorn, ``--config gunicorn.conf.py``) with
   ``WEB_CONCURRENCY`` workers and time how long until the port accepts connections;
3. at once send ``--first`` concurrent ``POST /api/handoffs`` (realistic clients) and time
   each answer (target: all 201 within 3 s);
4. read each process's ``/proc/<pid>/smaps_rollup``: PSS (a page shared by N processes
   counts 1/N in each; target at most 300 MB per worker), RSS, and the private part;
5. send ``--warm`` more submissions one at a time: p50 and p95 end to end (target p50
   at most 100 ms);
6. scan gunicorn's log for ``WORKER TIMEOUT`` and count the full loads of the network state
   (one, by the master, is the design).

Prints Markdown tables.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from http_bench import handoff_bodies
from import_bench import timed, write_csv

from referral.adapters import migrate
from tests.webprocess import WebProcess

SECRET = "cold-start-bench-secret"


def create_member(url: str) -> str:
    env = {**os.environ, "DATABASE_URL": url, "SECRET_KEY": SECRET}
    flask = str(Path(sys.executable).with_name("flask"))
    out = subprocess.run([flask, "--app", "web", "member", "create", "Bench Member", "bench.member@example.org",
                          "--password", "bench-pass-1"], cwd=ROOT, env=env, capture_output=True, text=True,
                         check=True)
    return out.stdout.strip().splitlines()[-1]


def submit(base: str, token: str, body: dict) -> tuple[int, float]:
    req = urllib.request.Request(base + "/api/handoffs", data=json.dumps(body).encode(), method="POST",
                                 headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
    t = time.perf_counter()
    try:
        with urllib.request.urlopen(req, timeout=120) as r:
            r.read()
            status = r.status
    except urllib.error.HTTPError as err:
        status = err.code
    return status, time.perf_counter() - t


def memory(pid: int) -> dict[str, float]:
    """MB from /proc/<pid>/smaps_rollup: Pss, Rss and the private (unshared) part."""
    fields = {}
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
        m = re.match(r"(\w+):\s+(\d+) kB", line)
        if m:
            fields[m.group(1)] = int(m.group(2)) / 1024
    return {"pss": fields["Pss"], "rss": fields["Rss"],
            "private": fields.get("Private_Clean", 0) + fields.get("Private_Dirty", 0)}


def run(label: str, url: str, csv_path: Path, args) -> dict:
    migrate.upgrade(url)
    flask = str(Path(sys.executable).with_name("flask"))
    import_s, _, summary = timed([flask, "--app", "web", "colleagues", "import", str(csv_path)], ROOT, url)
    token = create_member(url)
    bodies = handoff_bodies(args.first + args.warm, random.Random(args.seed))
    started = time.perf_counter()
    env = {"DATABASE_URL": url, "SECRET_KEY": SECRET}
    with WebProcess(env, workers=args.workers, start_timeout=900) as web:
        listening_s = time.perf_counter() - started
        with ThreadPoolExecutor(args.first) as pool:
            first = list(pool.map(lambda b: submit(web.base, token, b), bodies[:args.first]))
        procs = {"master": web.pid} | {f"worker {i + 1}": pid for i, pid in enumerate(web.workers())}
        mem = {name: memory(pid) for name, pid in procs.items()}
        warm = [submit(web.base, token, b) for b in bodies[args.first:]]
        mem_after = {name: memory(pid) for name, pid in procs.items() if Path(f"/proc/{pid}").exists()}
        log = web.log()
    warm_ms = sorted(t * 1000 for _, t in warm)
    return {
        "backend": label, "import_s": import_s, "import_summary": summary, "listening_s": listening_s,
        "first_status": [s for s, _ in first], "first_max_s": max(t for _, t in first),
        "first_p50_s": statistics.median(t for _, t in first),
        "memory": mem, "memory_after": mem_after,
        "warm_p50": statistics.median(warm_ms), "warm_p95": warm_ms[int(0.95 * (len(warm_ms) - 1))],
        "warm_bad": sum(s != 201 for s, _ in warm),
        "timeouts": log.count("WORKER TIMEOUT"),
        "full_loads": [(m.group(1), m.group(2)) for m in
                       re.finditer(r"network state loaded in full in ([\d.]+) s \(process (\d+)", log)],
        "master": procs["master"],
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--colleagues", type=int, default=100_000)
    ap.add_argument("--workers", type=int, default=3)
    ap.add_argument("--first", type=int, default=9, help="concurrent submissions right after the start")
    ap.add_argument("--warm", type=int, default=100, help="submissions one at a time afterwards")
    ap.add_argument("--postgres", action="store_true")
    ap.add_argument("--csv", type=Path, help="a CSV to import instead of a generated one")
    ap.add_argument("--seed", type=int, default=11)
    args = ap.parse_args()
    results = []
    with tempfile.TemporaryDirectory(prefix="cold-start-bench-") as tmp:
        folder = Path(tmp)
        csv_path = args.csv or folder / "colleagues.csv"
        if not args.csv:
            write_csv(csv_path, args.colleagues, 7)
        results.append(run("SQLite", f"sqlite:///{folder}/bench.db", csv_path, args))
        if args.postgres:
            from tests.pgserver import throwaway

            with throwaway() as url:
                if url is not None:
                    results.append(run("PostgreSQL", url, csv_path, args))

    load = " / ".join(f"{x:.1f}" for x in os.getloadavg())
    cpu = next((ln.split(":", 1)[1].strip() for ln in Path("/proc/cpuinfo").read_text().splitlines()
                if ln.startswith("model name")), "?")
    print(f"{args.colleagues:,} colleagues; Procfile web, {args.workers} workers; {os.cpu_count()} CPUs ({cpu}); "
          f"load average after the run {load}\n")
    print("| database | import (s) | port open after (s) | first submissions | slowest first (s) | warm p50 (ms) "
          "| warm p95 (ms) | worker timeouts | full loads (process: s) |")
    print("|---|---:|---:|---|---:|---:|---:|---:|---|")
    for r in results:
        statuses = ", ".join(f"{n}x {s}" for s, n in sorted(
            {s: r["first_status"].count(s) for s in r["first_status"]}.items()))
        loads = "; ".join(f"{'master' if int(pid) == r['master'] else pid}: {s}" for s, pid in r["full_loads"])
        print(f"| {r['backend']} | {r['import_s']:.1f} | {r['listening_s']:.1f} | {statuses} | {r['first_max_s']:.2f} "
              f"| {r['warm_p50']:.0f} | {r['warm_p95']:.0f} | {r['timeouts']} | {loads} |")
    print("\nMemory per process, MB (`/proc/<pid>/smaps_rollup`), right after the first submissions "
          "and after the warm ones:\n")
    print("| database | process | PSS | RSS | private | PSS after warm | private after warm |")
    print("|---|---|---:|---:|---:|---:|---:|")
    for r in results:
        for name, m in r["memory"].items():
            after = r["memory_after"].get(name, {"pss": float("nan"), "private": float("nan")})
            print(f"| {r['backend']} | {name} | {m['pss']:.0f} | {m['rss']:.0f} | {m['private']:.0f} "
                  f"| {after['pss']:.0f} | {after['private']:.0f} |")
    bad = [r for r in results if r["timeouts"] or r["warm_bad"] or any(s != 201 for s in r["first_status"])]
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
