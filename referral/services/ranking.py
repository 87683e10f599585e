"""What the service adds to the matching scores: lessons from earlier answers, and a fair spread of work.

The domain (:mod:`referral.domain.matching`) scores how well each colleague fits the
client. Two things it cannot know are applied here, after scoring:

1. **Declines teach.** A colleague who declined a client as ``outside_my_field`` loses
   points for clients whose needs are similar (word stems shared with that client's needs,
   Jaccard similarity at least ``SIMILAR``): up to ``MAX_PENALTY`` points, scaled by the
   similarity, with a line saying why. A ``no_capacity`` decline pauses the colleague instead
   (:func:`referral.services.answers.decline`), so the hard rules already keep them out.
2. **Work spreads fairly.** Candidates whose scores lie within ``NEAR`` points of each other
   are near-equal: among them the colleague offered a client least recently comes first
   (never offered: first of all), and remaining ties are broken at random, not by id, so no
   colleague wins every tie for being added first.

Cost: one query for the candidates' past ``outside_my_field`` declines and one for when each
was last offered a client; a few stem sets per candidate. Negligible next to the ranking.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Mapping
from dataclasses import replace
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from referral.adapters import orm
from referral.domain.letters import long_date
from referral.domain.matching import Candidate
from referral.domain.text import STOPWORDS, stem, tokenize

__all__ = ["MARGIN", "MAX_PENALTY", "NEAR", "SIMILAR", "adjust", "learn_from_declines", "similarity", "spread_fairly"]

#: extra candidates to ask the domain for, so a lowered one can be overtaken from below the limit
MARGIN = 10
#: candidates whose scores differ by at most this many points (of 100) are near-equal: the same score to
#: the tenth of a point the API shows; any wider and a real, if small, difference of fit would be overruled
NEAR = 0.05
#: needs at least this similar (Jaccard of word stems) count as "similar needs"
SIMILAR = 0.25
#: points an ``outside_my_field`` decline takes off for identical needs (scaled by similarity)
MAX_PENALTY = 30.0


def _stems(text: str) -> frozenset[str]:
    return frozenset(stem(t.text) for t in tokenize(text) if t.text not in STOPWORDS and len(t.text) > 2)


def similarity(a: str, b: str) -> float:
    """Jaccard similarity of the word stems of two needs, 0 to 1.

    >>> round(similarity("Monthly bookkeeping for a restaurant", "bookkeeping for restaurants"), 2)
    0.67
    >>> similarity("Monthly bookkeeping", "Logo design")
    0.0
    """
    x, y = _stems(a), _stems(b)
    return len(x & y) / len(x | y) if x and y else 0.0


def learn_from_declines(
    candidates: list[Candidate], needs: str, declines: Iterable[tuple[int, str, datetime]]
) -> list[Candidate]:
    """Lower each candidate who declined similar needs as outside their field, with a line saying why.

    ``declines``: (colleague id, the declined client's needs, when). Only the most similar
    decline counts. The list comes back re-sorted by score (stable for equal scores).
    """
    worst: dict[int, tuple[float, datetime]] = {}
    for colleague_id, old_needs, at in declines:
        sim = similarity(needs, old_needs)
        if sim >= SIMILAR and sim > worst.get(colleague_id, (0.0, at))[0]:
            worst[colleague_id] = (sim, at)
    out = []
    for c in candidates:
        if c.colleague_id in worst:
            sim, at = worst[c.colleague_id]
            points = round(MAX_PENALTY * sim, 1)
            why = f"declined a similar client on {long_date(at.date())} as outside their field ({points:g} points fewer)"
            c = replace(c, score=round(max(c.score - points, 0.0), 1), explanation=(*c.explanation, why))
        out.append(c)
    return sorted(out, key=lambda c: -c.score)


def spread_fairly(
    candidates: list[Candidate], last_offered: Mapping[int, datetime], rng: random.Random
) -> list[Candidate]:
    """Reorder near-equal candidates: least recently offered first, then at random.

    ``candidates`` come best first; a group of near-equal ones is every candidate within ``NEAR``
    points of the group's best. Groups keep their order, so a clearly better fit stays ahead.
    """
    out: list[Candidate] = []
    i = 0
    while i < len(candidates):
        j = i + 1
        while j < len(candidates) and candidates[i].score - candidates[j].score <= NEAR:
            j += 1
        group = candidates[i:j]
        keys = {c.colleague_id: (last_offered.get(c.colleague_id, datetime.min), rng.random()) for c in group}
        out += sorted(group, key=lambda c: keys[c.colleague_id])
        i = j
    return out


_rng = random.SystemRandom()


def adjust(session: Session, needs: str, candidates: list[Candidate], rng: random.Random = _rng) -> list[Candidate]:
    """The domain's ranking with the lessons from declines and the fair spread applied (see the module)."""
    if not candidates:
        return candidates
    R, H = orm.referrals, orm.handoffs
    ids = [c.colleague_id for c in candidates]
    declines = session.execute(
        select(R.c.to_id, H.c.client_needs, R.c.answered_at)
        .join(H, H.c.id == R.c.handoff_id)
        .where(R.c.to_id.in_(ids), R.c.decline_code == "outside_my_field")
    ).all()
    last = dict(session.execute(
        select(R.c.to_id, func.max(R.c.offered_at)).where(R.c.to_id.in_(ids)).group_by(R.c.to_id)
    ).all())
    return spread_fairly(learn_from_declines(candidates, needs, declines), last, rng)
