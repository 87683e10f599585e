"""Looking back: a handoff's retrospective, and the lessons over all of a member's handoffs.

"Next time you can choose not to be in this situation": the lessons count the reasons
members let clients go, the warning signs they saw early, how long it took from the first
dated fact to the handoff, and list what they would do differently, newest first.
"""

from __future__ import annotations

from datetime import date, datetime
from statistics import median

from sqlalchemy import select

from referral.adapters import orm
from referral.adapters.uow import UnitOfWork
from referral.domain.model import Retrospective
from referral.domain.vocab import OUTCOMES, REASONS
from referral.services import care

__all__ = ["days_from_first_fact", "lessons", "record_retrospective"]


def record_retrospective(uow: UnitOfWork, *, member_id: int, handoff_id: int, data: dict, now: datetime) -> dict:
    """Store the look back (again replaces it); answers it as stored.

    ``Conflict`` before the handoff has ended (placed or closed), ``Invalid`` when every
    answer is empty, ``NotFound`` for another member's handoff.
    """
    with uow:
        s = uow.session
        handoff = care.owned(s, member_id, handoff_id)
        retro = Retrospective(
            what_did_not_work=data.get("what_did_not_work", ""), my_part=data.get("my_part", ""),
            their_part=data.get("their_part", ""), next_time=data.get("next_time", ""),
            warning_signs=tuple(data.get("warning_signs", ())),
            outcomes_achieved=tuple(data.get("outcomes_achieved", ())))
        handoff.record_retrospective(retro, care.has_ended(s, handoff), now)
        uow.commit()
        return retro.as_json()


def days_from_first_fact(facts: list[dict], handed_off: datetime) -> int | None:
    """Days from the earliest dated fact to the handoff, or None without facts.

    >>> days_from_first_fact([{"date": "2026-10-02"}, {"date": "2026-09-01"}], datetime(2026, 11, 1))
    61
    """
    dates = [date.fromisoformat(f["date"]) for f in facts or [] if f.get("date")]
    return (handed_off.date() - min(dates)).days if dates else None


def lessons(uow: UnitOfWork, member_id: int) -> dict:
    """The member's lessons: counts per reason (all handoffs) and per early warning sign
    (retrospectives), desired outcomes wanted and achieved, the days from first fact to
    handoff, and the ``next_time`` notes newest first. Every code appears, with 0 if unseen.
    """
    H = orm.handoffs
    with uow.reading():
        rows = uow.session.execute(
            select(H.c.id, H.c.client_name, H.c.reasons, H.c.facts, H.c.created_at, H.c.desired_outcomes,
                   H.c.retrospective, H.c.retrospective_at).where(H.c.member_id == member_id)).all()
    by_reason = dict.fromkeys(REASONS, 0)
    by_sign = dict.fromkeys(REASONS, 0)
    by_outcome = {code: {"wanted": 0, "achieved": 0} for code in OUTCOMES}
    notes, delays = [], []
    for r in rows:
        for code in r.reasons or []:
            by_reason[code] = by_reason.get(code, 0) + 1
        for code in r.desired_outcomes or []:
            by_outcome[code]["wanted"] += 1
        days = days_from_first_fact(r.facts, r.created_at)
        if days is not None:
            delays.append({"handoff_id": r.id, "client_name": r.client_name, "days": days})
        retro = r.retrospective
        if not retro:
            continue
        for code in retro.get("warning_signs", []):
            by_sign[code] = by_sign.get(code, 0) + 1
        for code in retro.get("outcomes_achieved", []):
            if code in by_outcome:
                by_outcome[code]["achieved"] += 1
        if retro.get("next_time"):
            notes.append((r.retrospective_at, r.id, retro["next_time"]))
    notes.sort(key=lambda n: (n[0], n[1]), reverse=True)
    return {
        "handoffs": len(rows),
        "retrospectives": sum(1 for r in rows if r.retrospective),
        "by_reason": by_reason,
        "by_warning_sign": by_sign,
        "by_outcome": by_outcome,
        "days_from_first_fact": delays,
        "median_days_from_first_fact": median(d["days"] for d in delays) if delays else None,
        "next_time": [n[2] for n in notes],
    }
