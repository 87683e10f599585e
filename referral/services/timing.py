"""Time passing on an open offer: one reminder to the colleague, then expiry and what follows it.

The mail worker runs both every round (:mod:`referral.services.delivery`); each offer is
handled in its own transaction, so one failure leaves the others done.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from referral.adapters import orm
from referral.adapters.uow import UnitOfWork
from referral.config import Settings
from referral.domain.model import Referral
from referral.services import mailbox
from referral.services.answers import after_no, lock_handoff_of
from referral.services.offers import Ranker, load_colleague, load_member, lock_row, offer_mail

R = orm.referrals

__all__ = ["expire_overdue", "send_reminders"]


def expire_overdue(uow: UnitOfWork, settings: Settings, *, now: datetime, rank: Ranker | None = None) -> int:
    """Expire every open offer past its time, one transaction each; returns how many expired."""
    with uow.reading():
        due = uow.session.scalars(
            select(R.c.id)
            .where(R.c.status == "offered", R.c.expires_at <= now)
            .order_by(R.c.expires_at)
        ).all()
    done = 0
    for referral_id in due:
        with uow:
            s = uow.session
            lock_handoff_of(s, referral_id)
            referral = lock_row(s, Referral, referral_id)
            if referral is None or referral.status != "offered" or referral.handoff is None:
                continue  # answered meanwhile, or a referral from the history without a handoff
            referral.move_to("expired", now)
            colleague = load_colleague(s, referral.to_id)
            what = f"{colleague.name} did not answer in time: the offer of {referral.handoff.client_name} expired."
            after_no(s, settings, referral, now, rank, mailbox.expired_to_member, what)
            uow.commit()
            done += 1
    return done


def send_reminders(uow: UnitOfWork, settings: Settings, *, now: datetime) -> int:
    """Remind, once, each colleague who has not answered after ``reminder_after_hours``; returns how many."""
    cutoff = now - timedelta(hours=settings.reminder_after_hours)
    with uow.reading():
        due = uow.session.scalars(
            select(R.c.id).where(
                R.c.status == "offered",
                R.c.reminded_at.is_(None),
                R.c.offered_at <= cutoff,
                R.c.expires_at > now,
                R.c.handoff_id.is_not(None),
            )
        ).all()
    done = 0
    for referral_id in due:
        with uow:
            s = uow.session
            referral = lock_row(s, Referral, referral_id)
            if (referral is None or referral.status != "offered" or referral.reminded_at is not None
                    or referral.handoff is None):
                continue
            referral.reminded_at = now
            offer_mail(
                s,
                settings,
                referral,
                load_colleague(s, referral.to_id),
                load_member(s, referral.handoff.member_id),
                now,
                reminder=True,
            )
            uow.commit()
            done += 1
    return done
