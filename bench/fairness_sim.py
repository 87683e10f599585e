"""How offers spread over colleagues who fit equally well: the old tie-break against the fair spread.

    python bench/fairness_sim.py [--handoffs 1000] [--colleagues 10] [--seed 7]

A member hands off ``--handoffs`` clients one after the other; ``--colleagues`` colleagues
fit every one of them equally well (same specialty, clientele, place, capacity). Each
handoff is ranked with the real matching index (:class:`referral.domain.matching.MatchIndex`)
and offered to the top candidate, who accepts. Two policies are compared on the same stream:

* **before**: the domain's order as it was served until now, ties broken by colleague id;
* **after**: the same scores through :func:`referral.services.ranking.spread_fairly`
  (near-equal candidates: least recently offered first, remaining ties at random);
* for comparison, **random ties only**: the same without the recency rule.

Two scenarios: the accepted referral ends at once (capacity never binds), and each accepted
referral stays open for the next 25 handoffs with capacity 3 (so the top candidate fills
up and the tie-break decides who is next). For each it prints the largest and smallest share
of offers, their ratio, and the Gini coefficient of offers per colleague (0 = perfectly
even, 1 = one colleague gets everything). Plain Python, no database: the policies are the
only difference.
"""

from __future__ import annotations

import argparse
import random
import sys
from collections import Counter, deque
from datetime import date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from referral.domain.matching import ClientNeed, MatchContext, MatchIndex, Profile
from referral.services.ranking import MARGIN, spread_fairly

NEEDS = (
    "Monthly bookkeeping for a small restaurant",
    "Bookkeeping and payroll for a family bakery",
    "Catch-up bookkeeping for a cafe, two years behind",
    "Bookkeeping for a hospitality business with 12 staff",
)


def gini(counts: list[int]) -> float:
    """Gini coefficient of a list of non-negative counts (mean absolute difference / twice the mean)."""
    n, total = len(counts), sum(counts)
    if n == 0 or total == 0:
        return 0.0
    diff = sum(abs(a - b) for a in counts for b in counts)
    return diff / (2 * n * n * (total / n))


def simulate(policy: str, handoffs: int, colleagues: int, hold: int, capacity: int, seed: int) -> list[int]:
    """Offers per colleague after ``handoffs`` handoffs under ``policy`` (see the module's list)."""
    profiles = [
        Profile(id=i + 1, name=f"Colleague {i + 1}", specialties=("bookkeeping", "payroll"),
                target_clientele="restaurants and cafes", capacity=capacity)
        for i in range(colleagues)
    ]
    index = MatchIndex(profiles)
    rng = random.Random(seed)
    offers: Counter[int] = Counter()
    last: dict[int, datetime] = {}
    open_now: Counter[int] = Counter()
    ending: deque[tuple[int, int]] = deque()  # (handoff number when it ends, colleague id)
    start = datetime(2026, 12, 1, 9, 0)
    for n in range(handoffs):
        while ending and ending[0][0] <= n:
            open_now[ending.popleft()[1]] -= 1
        ctx = MatchContext(member_id=0, reasons=frozenset({"late_payments"}), today=date(2026, 12, 1),
                           open_referrals=dict(open_now))
        ranked = index.rank(ClientNeed(needs=NEEDS[n % len(NEEDS)]), ctx, limit=1 + MARGIN)
        if policy == "after":
            ranked = spread_fairly(ranked, last, rng)
        elif policy == "random ties only":
            ranked = spread_fairly(ranked, {}, rng)
        if not ranked:
            continue  # everyone is full: the handoff waits (not counted)
        chosen = ranked[0].colleague_id
        offers[chosen] += 1
        last[chosen] = start + timedelta(minutes=n)
        if hold:
            open_now[chosen] += 1
            ending.append((n + hold, chosen))
    return [offers[p.id] for p in profiles]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--handoffs", type=int, default=1000)
    ap.add_argument("--colleagues", type=int, default=10)
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()
    print(f"{args.handoffs:,} handoffs, {args.colleagues} equally fitting colleagues, seed {args.seed}\n")
    print("| scenario | policy | offered | largest share | smallest share | largest / smallest | Gini |")
    print("|---|---|---:|---:|---:|---:|---:|")
    for label, hold, capacity in (("referral ends at once", 0, 3), ("open for 25 handoffs, capacity 3", 25, 3)):
        for policy in ("before", "random ties only", "after"):
            counts = simulate(policy, args.handoffs, args.colleagues, hold, capacity, args.seed)
            total = sum(counts)
            hi, lo = max(counts) / total, min(counts) / total
            ratio = "inf" if lo == 0 else f"{hi / lo:.2f}"
            print(f"| {label} | {policy} | {total:,} | {hi:.1%} | {lo:.1%} | {ratio} | {gini(counts):.3f} |")


if __name__ == "__main__":
    main()
