"""Time ``GET /api/network`` on a synthetic network, against rebuilding the graph per request.

    .venv/bin/python bench/network_bench.py [--sizes 1000,10000] [--repeat 7]

For each size, a SQLite database in a temporary folder gets that many colleagues, each
with 5 acquaintances and 5 accepted or completed referrals to random colleagues. The
app answers through the Flask test client:

- *neighbourhood*: the member's two-hop neighbourhood (the page's first view);
- *whole graph*: ``?all=true``.

"cached" is the app as it runs: the per-process graph (and, for the whole view, its flow
edges), patched from the change feed. "rebuilt" is the baseline measured in the same run:
the graph and flows built from scratch on every request. Times are medians, through the
test client (no gzip: ``Accept-Encoding`` is not sent).
Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import insert

from referral.adapters import migrate, orm
from referral.adapters.db import make_engine
from referral.services.members import create_member
from referral.services.sync import Changes
from web import create_app

NOW = datetime(2026, 11, 25, 9, 0)
SPECIALTIES = ["bookkeeping", "payroll", "web design", "SEO", "photography", "copywriting", "employment law",
               "translation", "coaching", "video editing"]


def populate(url: str, n: int, seed: int = 7) -> None:
    """n colleagues (the first is the member's), 5 acquaintances and 5 referrals each."""
    rng = random.Random(seed)
    engine = make_engine(url)
    with engine.begin() as conn:
        conn.execute(insert(orm.colleagues), [{
            "id": i, "name": f"Colleague {i}", "email": f"c{i}@example.org",
            "specialties": rng.sample(SPECIALTIES, 2), "target_clientele": "", "capacity": rng.randint(1, 6),
            "location": None, "remote": True, "dealbreakers": [], "paused_until": None,
            "created_at": NOW, "updated_at": NOW} for i in range(1, n + 1)])
        pairs: set[tuple[int, int]] = set()
        for i in range(1, n + 1):  # each colleague names 5 acquaintances (about 10 each in all)
            while len(pairs) < 5 * i:
                j = rng.randint(1, n)
                if j != i:
                    pairs.add((min(i, j), max(i, j)))
        conn.execute(insert(orm.connections), [{"a_id": a, "b_id": b, "created_at": NOW} for a, b in sorted(pairs)])
        rows = []
        for i in range(1, n + 1):
            for _ in range(5):
                j = rng.randint(1, n)
                while j == i:
                    j = rng.randint(1, n)
                when = NOW - timedelta(days=rng.randint(1, 700))
                rows.append({"from_id": i, "to_id": j, "status": rng.choice(["accepted", "completed"]),
                             "offered_at": when, "answered_at": when + timedelta(hours=5)})
        conn.execute(insert(orm.referrals), rows)
    engine.dispose()


def median_ms(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times)


def run(n: int, repeat: int) -> list[dict]:
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{folder}/bench.db"
        migrate.upgrade(url)
        t = time.perf_counter()
        populate(url, n)
        setup_s = time.perf_counter() - t
        app = create_app({"TESTING": True, "RATELIMIT_ENABLED": False, "CLOCK": lambda: NOW,
                          "ENV": {"DATABASE_URL": url, "SECRET_KEY": "bench"}})
        _, token = create_member(app.extensions["referral"].uow(), "Bench Member", "c1@example.org", None, NOW)
        client = app.test_client()
        headers = {"Authorization": f"Bearer {token}"}

        def fetch(query: str):
            """One answer, as the server sends it (timed without the client's JSON parsing)."""
            r = client.get(f"/api/network{query}", headers=headers)
            assert r.status_code == 200, r.get_data(as_text=True)[:300]
            return r

        def get(query: str) -> dict:
            return fetch(query).get_json()

        t = time.perf_counter()
        get("")  # the first request loads the graph
        first_ms = (time.perf_counter() - t) * 1000
        graph = app.extensions["referral"].match_state.network

        def rebuilt(query: str):
            def go():
                with app.extensions["referral"].uow().reading() as uow:
                    graph.apply(uow.session, Changes(full=True))  # the graph and its flows built anew
                fetch(query)
            return go

        out = []
        for label, query, reps in (("neighbourhood (2 hops)", "", repeat), ("whole graph", "?all=true", max(3, repeat // 2))):
            body = get(query)
            cached = median_ms(lambda q=query: fetch(q), reps)
            base = median_ms(rebuilt(query), reps)
            out.append({"n": n, "view": label, "nodes": len(body["nodes"]), "edges": len(body["edges"]),
                        "cached": cached, "rebuilt": base, "first": first_ms, "setup": setup_s})
        app.extensions["referral"].engine.dispose()
        return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000")
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    rows = []
    for n in (int(s) for s in args.sizes.split(",")):
        rows += run(n, args.repeat)
    print("| colleagues | view | nodes | edges | cached (ms) | rebuilt per request (ms) | rebuilt / cached |")
    print("|---:|---|---:|---:|---:|---:|---:|")
    for r in rows:
        print(f"| {r['n']:,} | {r['view']} | {r['nodes']:,} | {r['edges']:,} | {r['cached']:.1f} | "
              f"{r['rebuilt']:.1f} | {r['rebuilt'] / r['cached']:.1f}x |")
    print()
    for n in sorted({r["n"] for r in rows}):
        first = next(r for r in rows if r["n"] == n)
        print(f"{n:,} colleagues: first request (full load) {first['first']:.0f} ms; "
              f"database filled in {first['setup']:.1f} s.")


if __name__ == "__main__":
    main()
