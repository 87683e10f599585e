"""Time ``flask --app web colleagues import`` on a generated CSV, as an operator runs it.

    .venv/bin/python bench/import_bench.py [--rows 100000] [--postgres] [--keep FILE.csv]

Writes N realistic colleagues (``bench/match_bench.py``'s generator: names, 2 to 6
specialties, clientele, place, capacity, dealbreakers, pauses) to a CSV, migrates a fresh
database (a SQLite file; with ``--postgres`` also a throwaway PostgreSQL cluster, see
``tests/pgserver.py``), and runs the command line three times in a subprocess: the first
import (every row new), the same file again (every row unchanged) and a file where one
row in ten changed (updates). The times are wall clock, including the process's start.

On this shared machine absolute times follow the load, so each database's runs are preceded
by a baseline measured the same way: a subprocess that imports the app's modules and reads the
same file with the ``csv`` module, checking and storing nothing (the floor of any import).
Each step is reported with its ratio to that baseline, the load average at the time, and the
CPU seconds the command itself used (user + system; PostgreSQL's server work is not in it),
which depend little on the load: on an idle machine the wall time comes near them.
``--compare DIR`` also times the command from another checkout of the code (for example
``git worktree add /tmp/before main``), on fresh databases, step by step.

Prints a Markdown table. The target (issue 16): 100,000 rows in at most 15 s.
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from match_bench import make_profiles

from referral.adapters import migrate

COLUMNS = ["name", "email", "specialties", "target_clientele", "capacity", "location", "remote", "dealbreakers",
           "paused_until"]


def write_csv(path: Path, n: int, seed: int, changed_every: int = 0) -> None:
    """n colleagues; with ``changed_every`` k, every k-th row has another capacity (an update)."""
    with path.open("w", newline="", encoding="utf-8") as f:
        out = csv.writer(f)
        out.writerow(COLUMNS)
        for p in make_profiles(n, random.Random(seed)):
            capacity = p.capacity + 1 if changed_every and p.id % changed_every == 0 else p.capacity
            out.writerow([p.name, f"{p.name.lower().replace(' ', '.')}.{p.id}@example.org",
                          ";".join(p.specialties), p.target_clientele, capacity, p.location or "",
                          str(p.remote).lower(), ";".join(sorted(p.dealbreakers)),
                          p.paused_until.isoformat() if p.paused_until else ""])


BASELINE = "import csv, sys, web; sum(1 for _ in csv.reader(open(sys.argv[1], newline='', encoding='utf-8')))"


def timed(args: list[str], code: Path, url: str) -> tuple[float, float, str]:
    """Wall clock and CPU seconds (user + system) of the command, and the first line it printed."""
    env = {**os.environ, "DATABASE_URL": url, "SECRET_KEY": "import-bench-secret", "PYTHONPATH": str(code)}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    out = subprocess.run(args, cwd=code, env=env, capture_output=True, text=True, check=True)
    wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    return wall, cpu, (out.stdout.splitlines() or [""])[0]


def load() -> str:
    return f"{os.getloadavg()[0]:.1f}"


def bench(label: str, url: str, files: dict[str, Path], code: Path = ROOT) -> list[dict]:
    """The baseline, then each step's import, on a fresh database at ``url``."""
    migrate.upgrade(url)
    base, cpu, _ = timed([sys.executable, "-c", BASELINE, str(next(iter(files.values())))], code, url)
    rows: list[dict] = [{"backend": label, "step": "baseline: start and read the file, nothing checked or stored",
             "seconds": base, "cpu": cpu, "load": load(), "summary": ""}]
    flask = str(Path(sys.executable).with_name("flask"))
    for step, path in files.items():
        seconds, cpu, summary = timed([flask, "--app", "web", "colleagues", "import", str(path)], code, url)
        rows.append({"backend": label, "step": step, "seconds": seconds, "cpu": cpu, "load": load(),
                     "summary": summary})
    for r in rows:
        r["ratio"] = r["seconds"] / base
    return rows


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rows", type=int, default=100_000)
    ap.add_argument("--postgres", action="store_true")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--keep", type=Path, help="also save the generated CSV here")
    ap.add_argument("--compare", type=Path, metavar="DIR", help="also time the command of the code in DIR")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="import-bench-") as tmp:
        folder = Path(tmp)
        first, changed = folder / "colleagues.csv", folder / "changed.csv"
        t = time.perf_counter()
        write_csv(first, args.rows, args.seed)
        write_csv(changed, args.rows, args.seed, changed_every=10)
        print(f"CSV files written in {time.perf_counter() - t:.1f} s ({first.stat().st_size / 1e6:.1f} MB each)\n",
              file=sys.stderr)
        if args.keep:
            args.keep.write_bytes(first.read_bytes())
        files = {"first import (all new)": first, "same file again (all unchanged)": first,
                 "1 row in 10 changed (updates)": changed}
        codes = {"": ROOT, **({" (compared)": args.compare.resolve()} if args.compare else {})}
        rows = []
        for n, (tag, code) in enumerate(codes.items()):
            rows += bench(f"SQLite{tag}", f"sqlite:///{folder}/bench{n}.db", files, code)
        if args.postgres:
            from tests.pgserver import throwaway

            with throwaway() as url:
                if url is not None:
                    for n, (tag, code) in enumerate(codes.items()):
                        rows += bench(f"PostgreSQL{tag}", fresh_database(url, f"bench{n}"), files, code)
    print(f"{args.rows:,} rows; `flask --app web colleagues import` in a subprocess; {os.cpu_count()} CPUs; "
          f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}\n")
    print("| database | step | seconds | x baseline | CPU of the command (s) | rows/s | load average (1 min) "
          "| the command's summary |")
    print("|---|---|---:|---:|---:|---:|---:|---|")
    for r in rows:
        print(f"| {r['backend']} | {r['step']} | {r['seconds']:.1f} | {r['ratio']:.1f} | {r['cpu']:.1f} | "
              f"{args.rows / r['seconds']:,.0f} | {r['load']} | {r['summary']} |")
    return 0


def fresh_database(url: str, name: str) -> str:
    """A new, empty database on the server at ``url``; its URL."""
    from sqlalchemy import create_engine

    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.exec_driver_sql(f"CREATE DATABASE {name}")
    engine.dispose()
    return f"{url.rsplit('/', 1)[0]}/{name}"


if __name__ == "__main__":
    sys.exit(main())
