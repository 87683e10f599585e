"""Quality of candidate ranking on a labelled set, in process (no web app, no database), with the
sentence model as the service runs it.

    python bench/match_quality.py [CASES.json] [--show N] [--nofit REQUESTS.json]

Loads a labelled set (default /work/shared/match-dev/cases.json; skipped with a message when
absent), builds Profiles (ids 1.., the member is id 0, knows everyone, has no specialties), ranks
every handoff with MatchIndex and with brute_force_rank, and prints top1 / top3 / forbidden per
kind for both, then the top-1 misses. ``--nofit`` takes a JSON list of ``{"needs", "industry"}``
requests that nobody in the set's network can serve and counts how many still get candidates.

``bench/match_sets/`` holds three sets written by teammates who had not read the matching code,
each a network in trades absent from the development sets (and from the sets before it) with
handoffs of the same ten kinds: 51 colleagues and 60 handoffs (``independent-cases.json``) with
20 requests nobody in it can serve (``independent-nofit.json``), then 45 colleagues and 50
handoffs twice (``independent-cases-2.json``, ``independent-cases-3.json``), written on
2026-12-02 each after the one before had been used.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from datetime import date
from pathlib import Path

import networkx as nx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from referral.adapters.embedding import shared_encoder
from referral.domain.matching import (
    ClientNeed,
    MatchContext,
    MatchIndex,
    Profile,
    brute_force_rank,
)

DEFAULT = "/work/shared/match-dev/cases.json"


def load(path: str):
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    profiles, keys = [Profile(0, "Member", ())], {0: "MEMBER"}
    for i, c in enumerate(data["colleagues"], start=1):
        keys[i] = c["key"]
        paused = date.fromisoformat(c["paused_until"]) if c.get("paused_until") else None
        profiles.append(Profile(i, c["name"], tuple(c["specialties"]), c.get("target_clientele") or "",
                                c.get("location"), bool(c.get("remote", True)), int(c.get("capacity", 3)),
                                frozenset(c.get("dealbreakers") or ()), paused))
    return data["handoffs"], profiles, keys


def client_of(request: dict) -> ClientNeed:
    c = request["client"]
    return ClientNeed(c["needs"], c.get("industry") or "", c.get("budget") or "", c.get("company") or "",
                      c.get("location"))


def evaluate(handoffs, keys, rank):
    per_kind: defaultdict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])  # top1, top3, forbidden, n
    misses = []
    for h in handoffs:
        got = [keys[c.colleague_id] for c in rank(h)]
        best, forbidden = set(h["best"]), set(h["forbidden"]) | {"MEMBER"}
        row = per_kind[h["kind"]]
        row[0] += bool(got) and got[0] in best
        row[1] += bool(best & set(got[:3]))
        row[2] += len(forbidden & set(got))
        row[3] += 1
        if not (got and got[0] in best):
            misses.append((h, got[:3]))
    return per_kind, misses


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("cases", nargs="?", default=DEFAULT)
    ap.add_argument("--show", type=int, default=20, help="top-1 misses to list")
    ap.add_argument("--nofit", help="JSON list of requests nobody in the network can serve")
    args = ap.parse_args()
    if not Path(args.cases).exists():
        print(f"match-quality: {args.cases} not found, skipped")
        return 0
    handoffs, profiles, keys = load(args.cases)
    graph = nx.Graph([(0, p.id) for p in profiles if p.id])
    encoder = shared_encoder()
    index = MatchIndex(profiles, encoder=encoder)
    today = date.today()

    def ctx(h):
        return MatchContext(0, frozenset(h["request"]["reasons"]), today, {}, graph=graph)

    runs = {
        "index": evaluate(handoffs, keys, lambda h: index.rank(client_of(h["request"]), ctx(h))),
        "brute": evaluate(handoffs, keys, lambda h: brute_force_rank(profiles, client_of(h["request"]), ctx(h),
                                                                     encoder=encoder)),
    }
    print("| kind | n | top1 (index) | top3 (index) | forbidden (index) | top1 (brute) | top3 (brute) | forbidden (brute) |")
    print("|---|---|---|---|---|---|---|---|")
    totals = {name: [0, 0, 0, 0] for name in runs}
    for kind in sorted(runs["index"][0]):
        cells = []
        for name, (per_kind, _) in runs.items():
            t1, t3, fb, n = per_kind[kind]
            totals[name] = [a + b for a, b in zip(totals[name], per_kind[kind])]
            cells += [f"{t1 / n:.2f}", f"{t3 / n:.2f}", str(fb)]
        print(f"| {kind} | {n} | " + " | ".join(cells) + " |")
    cells = []
    for name in runs:
        t1, t3, fb, n = totals[name]
        cells += [f"{t1 / n:.2f}", f"{t3 / n:.2f}", str(fb)]
    print(f"| **all** | {totals['index'][3]} | " + " | ".join(f"**{c}**" for c in cells) + " |")
    misses = runs["index"][1]
    if misses:
        print(f"\ntop-1 misses ({len(misses)}):")
        for h, got in misses[: args.show]:
            print(f"  {h['key']} [{h['kind']}] expected {'|'.join(h['best'])} got {got}")
    t1, t3, fb, n = totals["index"]
    print(f"\nmatch-quality: n={n} top1={t1 / n:.2f} top3={t3 / n:.2f} forbidden={fb}")
    if args.nofit:
        requests = json.loads(Path(args.nofit).read_text(encoding="utf-8"))
        plain = MatchContext(0, frozenset(), today, {}, graph=graph)
        served = [r for r in requests if index.rank(ClientNeed(r["needs"], r.get("industry") or ""), plain, 3)]
        print(f"match-quality: {len(served)} of {len(requests)} requests nobody can serve got candidates")
        for r in served[: args.show]:
            print(f"  {r['needs'][:90]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
