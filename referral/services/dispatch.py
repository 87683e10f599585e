"""Offering one client to several chosen colleagues: in turn (``waterfall``) or at once (``broadcast``).

A waterfall offers to the first colleague of an ordered list; on a decline, or after its own
``hours`` without an answer, the next one in the list who still passes the hard rules is
offered the client. The cascade of a single offer (``auto_cascade``) is the same move with
the ranking as the list. A broadcast offers to all of them at once, each offer in its own
slot of the open-offer index; the first to accept gets the client, the other offers are
withdrawn and each colleague is told, politely, that the client was placed. The answers
lock the handoff's row first (:mod:`referral.services.answers`), so simultaneous accepts
are taken one after the other and only the first finds its offer still open.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from referral.adapters import orm
from referral.adapters.uow import UnitOfWork
from referral.config import Settings
from referral.domain.errors import Invalid
from referral.domain.model import Colleague, Member, Referral
from referral.domain.vocab import DISPATCH_MODES
from referral.services import history, mailbox
from referral.services.eligibility import why_not_offerable
from referral.services.offers import (
    create_offer,
    handoff_of,
    load_colleague,
    load_member,
    lock_row,
    open_handoff,
    queue_mail,
)

__all__ = ["Dispatched", "close_after_accept", "next_step", "placed_elsewhere", "start"]

D = orm.dispatches
R = orm.referrals


@dataclass(frozen=True)
class Dispatched:
    handoff_id: int
    mode: str
    referral_ids: list[int]


def start(
    uow: UnitOfWork,
    settings: Settings,
    *,
    member_id: int,
    handoff_id: int,
    mode: str,
    colleague_ids: list[int],
    hours: float,
    now: datetime,
) -> Dispatched:
    """Offer the member's handoff to ``colleague_ids`` in ``mode``; returns the offers made.

    A waterfall makes one offer (to the first); a broadcast one per colleague. Every colleague
    named must pass the hard rules now, else ``Invalid`` names each one that does not (and
    nothing is offered). ``NotFound`` for another member's handoff; ``Conflict`` while the
    client is offered to or taken by someone already.
    """
    if mode not in DISPATCH_MODES:
        raise Invalid({"mode": [f"Must be one of: {', '.join(DISPATCH_MODES)}."]})
    with uow:
        s = uow.session
        handoff = open_handoff(s, member_id, handoff_id)
        colleagues: list[Colleague] = []
        problems: list[str] = []
        for cid in colleague_ids:
            colleague = lock_row(s, Colleague, cid)
            if colleague is None:
                problems.append(f"Colleague {cid}: there is no such colleague in the network.")
                continue
            why = why_not_offerable(s, handoff, colleague, now.date())
            if why:
                problems.append(f"Colleague {cid}: {why}")
            colleagues.append(colleague)
        if problems:
            raise Invalid({"colleague_ids": problems})
        dispatch_id = s.execute(
            insert(D).values(handoff_id=handoff_id, mode=mode, colleague_ids=list(colleague_ids), hours=hours,
                             created_at=now).returning(D.c.id)
        ).scalar_one()
        member = load_member(s, member_id)
        targets = colleagues[:1] if mode == "waterfall" else colleagues
        made = [
            create_offer(s, settings, handoff, member, c, now, hours=hours, dispatch_id=dispatch_id,
                         slot=0 if mode == "waterfall" else n + 1)
            for n, c in enumerate(targets)
        ]
        result = Dispatched(handoff_id, mode, [r.id for r in made])
        uow.commit()
        return result


def _dispatch(session: Session, referral: Referral):
    return session.execute(select(D).where(D.c.id == referral.dispatch_id)).one()


def next_step(
    session: Session, settings: Settings, referral: Referral, member: Member, now: datetime
) -> tuple[Referral | None, list[str]]:
    """After ``referral`` of a dispatch was declined or expired: (the next offer made, or None; the
    names of colleagues whose offers of this dispatch are still open)."""
    d = _dispatch(session, referral)
    if d.mode == "broadcast":
        waiting = session.scalars(
            select(orm.colleagues.c.name)
            .join(R, R.c.to_id == orm.colleagues.c.id)
            .where(R.c.dispatch_id == d.id, R.c.status == "offered")
            .order_by(R.c.offer_slot)
        ).all()
        if not waiting:
            session.execute(update(D).where(D.c.id == d.id).values(ended_at=now))
        return None, list(waiting)
    order = list(d.colleague_ids)
    later = order[order.index(referral.to_id) + 1:] if referral.to_id in order else []
    for cid in later:
        colleague = lock_row(session, Colleague, cid)
        if colleague is None:
            continue
        why = why_not_offerable(session, handoff_of(referral), colleague, now.date())
        if why is None:
            nxt = create_offer(session, settings, handoff_of(referral), member, colleague, now, hours=d.hours,
                               dispatch_id=d.id)
            return nxt, []
        history.record(session, referral, actor="The service", action="skipped",
                       detail=f"Waterfall passed over {colleague.name}: {why}", now=now)
    session.execute(update(D).where(D.c.id == d.id).values(ended_at=now))
    return None, []


def close_after_accept(
    session: Session, settings: Settings, referral: Referral, member: Member, now: datetime
) -> str:
    """In a broadcast, withdraw the other open offers and tell each colleague the client was placed.

    Returns a sentence for the member's news ("" outside a broadcast).
    """
    if referral.dispatch_id is None:
        return ""
    session.execute(update(D).where(D.c.id == referral.dispatch_id).values(ended_at=now))
    others = session.scalars(
        select(Referral)
        .where(R.c.dispatch_id == referral.dispatch_id, R.c.status == "offered", R.c.id != referral.id)
        .order_by(R.c.offer_slot)
        .with_for_update()
    ).all()
    names = []
    for other in others:
        other.move_to("withdrawn", now)
        colleague = load_colleague(session, other.to_id)
        names.append(colleague.name)
        queue_mail(session, settings, mailbox.placed_to_colleague(
            member_name=member.name, colleague_name=colleague.name, colleague_email=colleague.email),
            now, member.id, other.id, colleague)
        history.record(session, other, actor="The service", action="withdrawn",
                       detail=f"Offer to {colleague.name} withdrawn: the client was placed.", now=now)
    return f" The offers to {', '.join(names)} were withdrawn with a note." if names else ""


def placed_elsewhere(session: Session, referral: Referral) -> bool:
    """True when this withdrawn offer was part of a broadcast that another colleague won."""
    if referral.dispatch_id is None:
        return False
    return session.scalar(
        select(R.c.id).where(R.c.dispatch_id == referral.dispatch_id,
                             R.c.status.in_(("accepted", "completed"))).limit(1)
    ) is not None
