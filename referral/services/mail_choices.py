"""What people choose about the mail they get: a colleague's one-click unsubscribe, a member's digest."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select

from referral.adapters import orm
from referral.adapters.uow import UnitOfWork
from referral.config import Settings
from referral.domain.errors import NotFound
from referral.domain.model import Colleague, Member
from referral.services import mailbox
from referral.services.offers import load_member, lock_row, queue_mail

__all__ = ["NO_END", "daily_digest", "set_daily_digest", "unsubscribe"]

#: "paused with no end date": the last day a date can name
NO_END = date.max


def unsubscribe(uow: UnitOfWork, settings: Settings, *, colleague_id: int, now: datetime) -> str:
    """Stop further offers to the colleague (paused with no end date) and tell the member who added them.

    Returns the colleague's name. Using it again changes nothing and tells no one twice. Raises
    ``NotFound`` when the colleague was removed from the network.
    """
    with uow:
        s = uow.session
        colleague = lock_row(s, Colleague, colleague_id)
        if colleague is None:
            raise NotFound("This address is no longer in the network.")
        name = colleague.name
        if colleague.unsubscribed_at is not None:
            return name
        colleague.unsubscribed_at = now
        colleague.update(now, paused_until=NO_END)  # the unit of work logs the change for the index
        added_by = s.scalar(select(Member).where(orm.members.c.colleague_id == colleague.added_by_id)) \
            if colleague.added_by_id else None
        if added_by is not None:
            queue_mail(
                s,
                settings,
                mailbox.unsubscribed_to_member(
                    member_name=added_by.name,
                    member_email=added_by.email,
                    colleague_name=colleague.name,
                    colleague_email=colleague.email,
                    page_url=f"{settings.base_url}/colleagues/{colleague.id}",
                ),
                now,
                added_by.id,
                None,
            )
        uow.commit()
        return name


def set_daily_digest(uow: UnitOfWork, *, member_id: int, on: bool) -> None:
    """News about the member's offers: one mail a day (``on``) or one mail per change."""
    with uow:
        member = load_member(uow.session, member_id)
        member.daily_digest = on
        uow.commit()


def daily_digest(uow: UnitOfWork, *, member_id: int) -> bool:
    """True when the member gets news about their offers in one mail a day."""
    with uow.reading():
        M = orm.members
        return bool(uow.session.scalar(select(M.c.daily_digest).where(M.c.id == member_id)))
