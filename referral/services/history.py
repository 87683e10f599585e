"""What happened to a handoff and its offers: the audit trail, and the member's news.

Every change to a handoff's offers writes one row (who, what, when) in the same
transaction as the change itself, so the trail can never miss one. Rows the member must
hear about (``notify``) are also their news: shown on the dashboard, and mailed either at
once or, for a member who chose it, in one daily digest (:func:`send_digests`).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from referral.adapters import orm, outbox
from referral.adapters.outbox import OutgoingMail
from referral.adapters.uow import UnitOfWork
from referral.config import Settings
from referral.domain.errors import NotFound
from referral.domain.model import Handoff, Member, Referral
from referral.services import mailbox

__all__ = ["amend", "mail_member", "news", "record", "send_digests", "tell_member", "trail"]

E = orm.handoff_events
#: the one time of day digests go out (UTC hour); the worker sends each member's at most once a day
DIGEST_HOUR = 7


def record(
    session: Session,
    subject: Referral | Handoff,
    *,
    actor: str,
    action: str,
    detail: str = "",
    now: datetime,
    notify: bool = False,
) -> int:
    """Add one line to the trail of the handoff (``subject``, or the handoff of the referral ``subject``),
    in the caller's transaction."""
    handoff, referral_id = (subject.handoff, subject.id) if isinstance(subject, Referral) else (subject, None)
    if handoff is None:
        raise ValueError(f"referral {referral_id} came from the history without a handoff: it has no trail")
    return session.execute(
        insert(E).values(
            handoff_id=handoff.id,
            referral_id=referral_id,
            member_id=handoff.member_id,
            at=now,
            actor=actor,
            action=action,
            detail=detail,
            notify=notify,
        ).returning(E.c.id)
    ).scalar_one()


def amend(session: Session, event_id: int, detail: str) -> None:
    """Complete a line written before what followed was known (e.g. the waterfall's next step)."""
    session.execute(update(E).where(E.c.id == event_id).values(detail=detail))


def mail_member(session: Session, settings: Settings, referral: Referral, mail: OutgoingMail, now: datetime) -> None:
    """Queue news for the member by mail now, unless they chose the daily digest."""
    member = session.get(Member, referral.handoff.member_id) if referral.handoff is not None else None
    if member is None:
        raise NotFound(f"Referral {referral.id} has no member to tell.")
    if not member.daily_digest:
        outbox.queue(session, mail, mail_from=settings.mail_from, now=now, member_id=member.id,
                     referral_id=referral.id)


def tell_member(
    session: Session,
    settings: Settings,
    referral: Referral,
    mail: OutgoingMail,
    *,
    actor: str,
    action: str,
    detail: str,
    now: datetime,
) -> None:
    """Record a change the member must hear about, and mail it now unless they chose the daily digest."""
    record(session, referral, actor=actor, action=action, detail=detail, now=now, notify=True)
    mail_member(session, settings, referral, mail, now)


def _rows(session: Session, where, limit: int):
    H = orm.handoffs
    return session.execute(
        select(E, H.c.client_name)
        .join(H, H.c.id == E.c.handoff_id)
        .where(where)
        .order_by(E.c.at.desc(), E.c.id.desc())
        .limit(limit)
    ).all()


def trail(uow: UnitOfWork, member_id: int, handoff_id: int) -> list[dict]:
    """Every recorded change of the member's handoff, oldest first; another member's: ``NotFound``."""
    with uow.reading():
        s = uow.session
        owner = s.scalar(select(orm.handoffs.c.member_id).where(orm.handoffs.c.id == handoff_id))
        if owner != member_id:
            raise NotFound(f"You have no handoff {handoff_id}.")
        rows = _rows(s, E.c.handoff_id == handoff_id, 1000)
        return [
            {"at": r.at, "actor": r.actor, "action": r.action, "detail": r.detail, "referral_id": r.referral_id}
            for r in reversed(rows)
        ]


def news(uow: UnitOfWork, member_id: int, limit: int = 10) -> list[dict]:
    """The member's latest news about their offers, newest first (for the dashboard)."""
    with uow.reading():
        rows = _rows(uow.session, (E.c.member_id == member_id) & E.c.notify, limit)
        return [
            {"at": r.at, "detail": r.detail, "action": r.action, "handoff_id": r.handoff_id,
             "referral_id": r.referral_id, "client_name": r.client_name}
            for r in rows
        ]


def send_digests(uow: UnitOfWork, settings: Settings, *, now: datetime) -> int:
    """Queue each digest due: one per member who chose it, with their news from before today's
    ``DIGEST_HOUR`` (UTC) not yet sent; returns how many. So a member gets at most one a day, and
    news from after that hour waits for the next morning. A line goes into exactly one digest:
    the rows are marked in the same transaction as the digest is queued.
    """
    cutoff = now.replace(hour=DIGEST_HOUR, minute=0, second=0, microsecond=0)
    if now < cutoff:
        return 0
    pending = (E.c.notify, E.c.digested_at.is_(None), E.c.at < cutoff)
    M, C = orm.members, orm.colleagues
    with uow.reading():
        due = uow.session.scalars(
            select(M.c.id).where(M.c.daily_digest, select(E.c.id).where(E.c.member_id == M.c.id, *pending).exists())
        ).all()
    done = 0
    for member_id in due:
        with uow:
            s = uow.session
            rows = s.execute(
                select(E.c.id, E.c.at, E.c.detail)
                .where(E.c.member_id == member_id, *pending)
                .order_by(E.c.at, E.c.id)
                .with_for_update()
            ).all()
            if not rows:
                continue
            who = s.execute(select(C.c.name, C.c.email).join(M, M.c.colleague_id == C.c.id)
                            .where(M.c.id == member_id)).one()
            mail = mailbox.digest(member_name=who.name, member_email=who.email,
                                  items=[(r.at, r.detail) for r in rows], day=now.date(),
                                  page_url=settings.base_url + "/dashboard/")
            outbox.queue(s, mail, mail_from=settings.mail_from, now=now, member_id=member_id, referral_id=None)
            s.execute(update(E).where(E.c.id.in_([r.id for r in rows])).values(digested_at=now))
            uow.commit()
            done += 1
    return done

