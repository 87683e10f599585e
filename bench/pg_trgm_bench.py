"""What matching inside PostgreSQL with pg_trgm would cost, next to the in-process index, in one run.

    .venv/bin/python bench/pg_trgm_bench.py [--colleagues 100000] [--queries 100] [--seed 7]

The README's "Beyond one machine" names pg_trgm as where the word side of the index could go
when the index no longer fits in a worker. This measures that option on a throwaway
PostgreSQL cluster (``tests/pgserver.py``) with ``bench/match_bench.py``'s generated network
and requests:

* one row per (colleague, specialty), a GIN ``gin_trgm_ops`` index on the specialty;
* per request, each of its words (stopwords dropped) finds specialties through the index
  (``word <% specialty``, pg_trgm's word similarity, default threshold 0.6); a colleague
  scores the sum over words of their best ``word_similarity``; capacity and pauses are
  applied in SQL; top 10;
* the same requests ranked by :class:`MatchIndex` (words and meaning), no client location
  and no dealbreaker reasons, so both apply the same rules.

Quality: the share of requests whose first candidate has the specialty the request was made
from (the generator knows it). Speed: p50/p95 per request. Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import psycopg
from match_bench import Stored, make_asks, make_profiles

from referral.adapters.embedding import shared_encoder
from referral.domain.matching import ClientNeed, MatchContext, MatchIndex
from referral.domain.text import STOPWORDS, tokenize
from tests.pgserver import throwaway

QUERY = """
SELECT c.id FROM (
    SELECT m.colleague_id, sum(m.best) AS score FROM (
        SELECT s.colleague_id, w.word, max(word_similarity(w.word, s.specialty)) AS best
        FROM unnest(%(words)s::text[]) AS w(word) JOIN specialty s ON w.word <%% s.specialty
        GROUP BY s.colleague_id, w.word) m
    GROUP BY m.colleague_id) x
JOIN colleague c ON c.id = x.colleague_id
WHERE c.capacity > 0 AND (c.paused_until IS NULL OR c.paused_until < %(today)s)
ORDER BY x.score DESC, c.id LIMIT 10
"""


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--colleagues", type=int, default=100_000)
    ap.add_argument("--queries", type=int, default=100)
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    profiles = make_profiles(args.colleagues, rng)
    asks = make_asks(args.queries, rng)
    wanted = [spec for _, _, spec in asks]
    clients = [ClientNeed(c.needs, industry=c.industry) for c, _, _ in asks]  # no location: same rules both sides
    today = date.today()
    by_id = {p.id: p for p in profiles}

    def right(ranked: list[int], spec: str) -> bool:
        return bool(ranked) and spec in by_id[ranked[0]].specialties

    model = shared_encoder()
    phrases = sorted({" ".join(t.split()) for p in profiles for t in (*p.specialties, p.target_clientele) if t.strip()})
    index = MatchIndex(profiles, encoder=Stored(model, dict(zip(phrases, model.encode(phrases)))))
    ctx = MatchContext(member_id=0, reasons=frozenset(), today=today, open_referrals={})
    index_ms, index_right = [], 0
    for client, spec in zip(clients, wanted):
        t = time.perf_counter()
        got = [c.colleague_id for c in index.rank(client, ctx, 10)]
        index_ms.append((time.perf_counter() - t) * 1000)
        index_right += right(got, spec)

    with throwaway() as url:
        if url is None:
            return 1
        with psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://"), autocommit=True) as db:
            db.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
            db.execute("CREATE TABLE colleague (id int PRIMARY KEY, capacity int, paused_until date)")
            db.execute("CREATE TABLE specialty (colleague_id int, specialty text)")
            t = time.perf_counter()
            with db.cursor().copy("COPY colleague FROM STDIN") as copy:
                for p in profiles:
                    copy.write_row((p.id, p.capacity, p.paused_until))
            with db.cursor().copy("COPY specialty FROM STDIN") as copy:
                for p in profiles:
                    for s in p.specialties:
                        copy.write_row((p.id, s))
            load_s = time.perf_counter() - t
            t = time.perf_counter()
            db.execute("CREATE INDEX specialty_trgm ON specialty USING gin (specialty gin_trgm_ops)")
            db.execute("ANALYZE")
            index_s = time.perf_counter() - t
            size_row = db.execute("SELECT pg_total_relation_size('specialty') / 1048576.0").fetchone()
            assert size_row is not None  # a bare SELECT gives exactly one row
            size = size_row[0]
            pg_ms, pg_right = [], 0
            for client, spec in zip(clients, wanted):
                words = [t.text for t in tokenize(f"{client.needs} {client.industry}")
                         if t.text not in STOPWORDS and len(t.text) >= 3]
                t = time.perf_counter()
                got = [r[0] for r in db.execute(QUERY, {"words": words, "today": today})]
                pg_ms.append((time.perf_counter() - t) * 1000)
                pg_right += right(got, spec)

    def p50_p95(xs: list[float]) -> str:
        xs = sorted(xs)
        return f"{statistics.median(xs):.1f} | {xs[int(0.95 * (len(xs) - 1))]:.1f}"

    load = " / ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"{args.colleagues:,} colleagues, {args.queries} requests, seed {args.seed}; {os.cpu_count()} CPUs; "
          f"load average after the run {load}; PostgreSQL: load {load_s:.1f} s, trigram index {index_s:.1f} s, "
          f"table + index {size:.0f} MB\n")
    print("| method | p50 (ms) | p95 (ms) | first candidate has the asked specialty |")
    print("|---|---:|---:|---:|")
    print(f"| MatchIndex in process (words + meaning, incl. query embedding) | {p50_p95(index_ms)} "
          f"| {index_right / len(clients):.0%} |")
    print(f"| PostgreSQL pg_trgm (word similarity per word, GIN) | {p50_p95(pg_ms)} | {pg_right / len(clients):.0%} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
