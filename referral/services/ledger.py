"""Return referrals, the ledger, outcomes and reciprocity, over the database.

The rules live in :mod:`referral.domain.ledger`; this module loads the counted
referrals they need and writes back what they decide.

For the offers workflow and matching:

- :func:`link_return` — call it inside the accepting transaction, right after
  ``referral.move_to("accepted", now)``; it sets ``return_of_id`` or ``return_path``.
- :func:`sent_to` — clients each colleague sent a member (accepted or completed), to
  weigh reciprocity when ranking candidates.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import func, or_, select

from referral.adapters import orm
from referral.adapters.uow import UnitOfWork
from referral.domain import ledger as rules
from referral.domain.errors import NotFound
from referral.domain.ledger import COUNTED_STATUSES, Flow
from referral.domain.model import Referral
from referral.services import history
from referral.services.offers import load_colleague
from referral.services.queries import member_colleague_id

__all__ = [
    "MAX_HOPS",
    "flows_of",
    "ledger_row",
    "link_return",
    "member_ledger",
    "monthly_flows",
    "outcomes_for",
    "record_outcome",
    "sent_to",
]

R = orm.referrals
C = orm.colleagues
MAX_HOPS = 4
_AT = func.coalesce(R.c.answered_at, R.c.offered_at)


def _flow(row) -> Flow:
    return Flow(row.id, row.from_id, row.to_id, row.at, row.return_of_id,
                tuple(row.return_path) if row.return_path else None)


def _counted(*where):
    return (select(R.c.id, R.c.from_id, R.c.to_id, _AT.label("at"), R.c.return_of_id, R.c.return_path)
            .where(R.c.status.in_(COUNTED_STATUSES), *where))


def flows_of(session, colleague_id: int) -> list[Flow]:
    """Every counted referral to or from ``colleague_id``."""
    rows = session.execute(_counted(or_(R.c.from_id == colleague_id, R.c.to_id == colleague_id))).all()
    return [_flow(r) for r in rows]


def _flows_within_reach(session, member: int, before: datetime, hops: int) -> list[Flow]:
    """The member's flows plus the flows within ``hops`` of them: what a path search can use."""
    flows = {f.id: f for f in flows_of(session, member)}
    frontier = {f.to_id for f in flows.values() if f.from_id == member} - {member}
    seen = {member} | frontier
    for _ in range(hops - 1):
        if not frontier:
            break
        rows = session.execute(_counted(R.c.from_id.in_(sorted(frontier)), _AT <= before)).all()
        nxt = set()
        for r in rows:
            flows.setdefault(r.id, _flow(r))
            if r.to_id not in seen:
                nxt.add(r.to_id)
        seen |= nxt
        frontier = nxt
    return list(flows.values())


def link_return(session, referral: Referral) -> None:
    """Mark a just-accepted referral as a return, if it is one (see :mod:`referral.domain.ledger`).

    Sets ``referral.return_of_id`` (it repays the earliest client its receiver gave its
    sender that has not come back) or ``referral.return_path`` (a list of colleague ids
    from the receiver, through the network, to the sender), or leaves both empty. Does
    nothing for a referral that is not accepted or completed, or that is linked already.
    Runs inside the caller's transaction and never commits.
    """
    if referral.status not in COUNTED_STATUSES or referral.return_of_id or referral.return_path:
        return
    session.flush()
    member, sender = referral.to_id, referral.from_id
    # two acceptances racing for the same outstanding referral queue here (PostgreSQL;
    # SQLite writers are serialised already)
    session.execute(select(R.c.id).where(R.c.from_id == member, R.c.to_id == sender).with_for_update()).all()
    at = referral.answered_at or referral.offered_at
    history = _flows_within_reach(session, member, at, MAX_HOPS)
    found = rules.link(history, Flow(referral.id, sender, member, at), max_hops=MAX_HOPS)
    referral.return_of_id = found.return_of_id
    referral.return_path = found.return_path


def sent_to(session, member_colleague_id: int) -> dict[int, int]:
    """Colleague id -> clients that colleague sent the member (accepted or completed)."""
    q = (select(R.c.from_id, func.count()).where(R.c.to_id == member_colleague_id,
                                                 R.c.status.in_(COUNTED_STATUSES))
         .group_by(R.c.from_id))
    return {cid: n for cid, n in session.execute(q).all() if cid != member_colleague_id}


def _names(session, ids) -> dict[int, str]:
    ids = sorted(set(ids))
    if not ids:
        return {}
    return dict(session.execute(select(C.c.id, C.c.name).where(C.c.id.in_(ids))).all())


def member_ledger(uow: UnitOfWork, member_id: int) -> list[dict]:
    """The member's ledger: one row per counterpart (``given``, ``received``, ``returned``...)."""
    with uow.reading():
        s = uow.session
        me = member_colleague_id(s, member_id)
        flows = flows_of(s, me)
        names = _names(s, {f.from_id for f in flows} | {f.to_id for f in flows})
        return [r.as_json() for r in rules.ledger(flows, me, names)]


def ledger_row(uow: UnitOfWork, member_id: int, colleague_id: int) -> dict:
    """The member's account with one colleague (zeros when they never exchanged clients)."""
    with uow.reading():
        s = uow.session
        name = s.scalar(select(C.c.name).where(C.c.id == colleague_id))
        if name is None:
            raise NotFound(f"no colleague {colleague_id}")
        me = member_colleague_id(s, member_id)
        flows = [f for f in flows_of(s, me) if colleague_id in (f.from_id, f.to_id)]
        row = rules.counts(flows, me).get(colleague_id) or rules.LedgerRow(colleague_id)
        row.name = name
        return row.as_json()


def record_outcome(uow: UnitOfWork, member_id: int, referral_id: int, note: str, value: str | None,
                   now: datetime) -> None:
    """Either side of an accepted or completed referral records what it brought.

    An accepted referral becomes completed. Someone else's referral raises ``NotFound``;
    one in another status ``IllegalTransition``; an empty note ``Invalid``.
    """
    with uow:
        s = uow.session
        me = member_colleague_id(s, member_id)
        referral = s.get(Referral, referral_id)
        if referral is None or me not in (referral.from_id, referral.to_id):
            raise NotFound(f"no referral {referral_id} of yours")
        rules.record_outcome(referral, me, note, value, now)
        if referral.handoff is not None:
            history.record(s, referral, actor=load_colleague(s, me).name, action="outcome",
                           detail=f"Outcome recorded{f' ({value})' if value else ''}: {note}", now=now)
        uow.commit()


def outcomes_for(uow: UnitOfWork, member_id: int) -> dict:
    """The member's referrals that may carry an outcome, and the thank-yous from the other side."""
    with uow.reading():
        s = uow.session
        me = member_colleague_id(s, member_id)
        rows = s.execute(
            select(R.c.id, R.c.from_id, R.c.to_id, R.c.status, _AT.label("at"), R.c.outcome_note,
                   R.c.outcome_value, R.c.outcome_by_id, R.c.outcome_at, R.c.return_of_id, R.c.return_path,
                   func.coalesce(orm.handoffs.c.client_name, R.c.client_name).label("client_name"))
            .outerjoin(orm.handoffs, orm.handoffs.c.id == R.c.handoff_id)
            .where(R.c.status.in_(COUNTED_STATUSES), or_(R.c.from_id == me, R.c.to_id == me))
            .order_by(_AT.desc(), R.c.id.desc())).all()
        ids = {r.from_id for r in rows} | {r.to_id for r in rows}
        for r in rows:
            ids.update(r.return_path or [])
        names = _names(s, ids)
        referrals = []
        for r in rows:
            other = r.to_id if r.from_id == me else r.from_id
            referrals.append({
                "id": r.id, "direction": "given" if r.from_id == me else "received",
                "colleague_id": other, "name": names.get(other, ""), "status": r.status, "at": r.at,
                "client_name": r.client_name, "note": r.outcome_note, "value": r.outcome_value,
                "by_me": r.outcome_by_id == me, "by_name": names.get(r.outcome_by_id, ""),
                "outcome_at": r.outcome_at, "return_of_id": r.return_of_id,
                "return_path": [{"id": i, "name": names.get(i, "")} for i in (r.return_path or [])],
            })
        thanks = [x for x in referrals if x["note"] and not x["by_me"]]
        return {"referrals": referrals, "thanks": thanks}


def _month(d: datetime | date) -> tuple[int, int]:
    return (d.year, d.month)


def monthly_flows(uow: UnitOfWork, member_id: int, now: datetime, months: int = 12) -> dict:
    """Clients given and received per month over the last ``months``, and the return rate.

    The return rate is the share of the clients the member gave (not as returns
    themselves) that came back, directly or through the network.
    """
    with uow.reading():
        s = uow.session
        me = member_colleague_id(s, member_id)
        flows = flows_of(s, me)
    y, m = now.year, now.month
    keys = []
    for _ in range(months):
        keys.append((y, m))
        y, m = (y, m - 1) if m > 1 else (y - 1, 12)
    keys.reverse()
    given = dict.fromkeys(keys, 0)
    received = dict.fromkeys(keys, 0)
    for f in flows:
        k = _month(f.at)
        if f.from_id == me and k in given:
            given[k] += 1
        elif f.to_id == me and k in received:
            received[k] += 1
    rate = rules.return_rate(flows, me, now)
    return {
        "months": [{"month": date(k[0], k[1], 1), "given": given[k], "received": received[k]} for k in keys],
        "given": rate.counted, "came_back": rate.came_back, "too_early": rate.too_early,
        "return_rate": rate.rate,
    }
