"""The colleague's answers to an offer: accept or decline, through the links in the offer email.

Each answer is one transaction: the referral row is locked while it is answered (one
answer per offer), the link's one-time id is recorded with the answer, and the mail the
answer causes is written to the outbox in the same commit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import exists, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from referral.adapters import orm
from referral.adapters.links import UsedLink
from referral.adapters.uow import UnitOfWork
from referral.config import Settings
from referral.domain.errors import Conflict, Invalid, NotFound
from referral.domain.model import Colleague, Referral
from referral.services import ledger, mailbox
from referral.services.eligibility import open_counts
from referral.services.offers import (
    Ranker,
    live_referral,
    load_member,
    lock_row,
    next_candidate,
    queue_mail,
    referral_url,
)

__all__ = ["Handover", "OfferClosed", "Outcome", "accept", "after_no", "check_answerable", "decline"]


class OfferClosed(Conflict):
    """The offer was already answered, withdrawn or has expired; nothing was changed."""

    def __init__(self, referral: Referral, member_name: str, status: str | None = None):
        self.status = status or referral.status
        self.answered_at = referral.answered_at
        self.expires_at = referral.expires_at
        self.member_name = member_name
        super().__init__(f"this offer is {self.status}")


def check_answerable(
    session: Session, referral_id: int, colleague_id: int, jti: str, now: datetime, lock: bool = True
) -> Referral:
    """The referral (locked, unless ``lock=False`` for a read) if this link may still answer it.

    Otherwise raises why not: ``NotFound``, ``UsedLink`` or ``OfferClosed``.
    """
    referral = lock_row(session, Referral, referral_id) if lock else session.get(Referral, referral_id)
    if referral is None or referral.to_id != colleague_id or referral.handoff is None:
        raise NotFound("This offer no longer exists.")
    if session.scalar(select(exists().where(orm.used_links.c.jti == jti))):
        raise UsedLink("this link was used already")
    member_name = load_member(session, referral.handoff.member_id).name
    if referral.status != "offered":
        raise OfferClosed(referral, member_name)
    if referral.expires_at is not None and now >= referral.expires_at:
        raise OfferClosed(referral, member_name, status="expired")
    return referral


def _use_link(session: Session, jti: str, now: datetime) -> None:
    try:
        session.execute(insert(orm.used_links).values(jti=jti, used_at=now))
    except IntegrityError as err:
        raise UsedLink("this link was used already") from err


@dataclass(frozen=True)
class Handover:
    """What the colleague who accepted may now see: how to reach the client, and who hands them on."""

    client: dict  # name, email, phone, company, location; the ones not given are None
    member_name: str
    member_email: str
    finish_by: date | None


def accept(
    uow: UnitOfWork,
    settings: Settings,
    *,
    referral_id: int,
    colleague_id: int,
    jti: str,
    acknowledged: bool,
    now: datetime,
) -> Handover:
    """The colleague takes the client, having read the fair warning.

    Stores when (``answered_at``) and the fingerprint of the disclosure version they were
    shown; sends the client's contact details to the colleague and the news to the member,
    and answers the same contact details (a :class:`Handover`) for the page that confirms it.
    Raises ``Invalid`` without the acknowledgment, ``UsedLink`` for a second use,
    ``OfferClosed`` when the offer is no longer open, ``Conflict`` when the colleague
    has meanwhile no free place.
    """
    if not acknowledged:
        raise Invalid({"acknowledged": ["Please confirm that you have read the fair warning."]})
    with uow:
        s = uow.session
        referral = check_answerable(s, referral_id, colleague_id, jti, now)
        colleague = lock_row(s, Colleague, colleague_id)
        others = open_counts(s, [colleague_id]).get(colleague_id, 0) - 1  # this offer already counts
        if others >= colleague.capacity:
            raise Conflict(f"You already have {others} open referrals, your limit is {colleague.capacity}.")
        _use_link(s, jti, now)
        referral.move_to("accepted", now)
        referral.acknowledged_sha256 = referral.disclosure.sha256
        ledger.link_return(s, referral)  # a client coming back to someone who sent one before
        handoff, member = referral.handoff, load_member(s, referral.handoff.member_id)
        queue_mail(
            s,
            settings,
            mailbox.accepted_to_colleague(
                handoff=handoff,
                member_name=member.name,
                member_email=member.email,
                colleague_name=colleague.name,
                colleague_email=colleague.email,
            ),
            now,
            member.id,
            referral.id,
        )
        queue_mail(
            s,
            settings,
            mailbox.accepted_to_member(
                member_name=member.name,
                member_email=member.email,
                colleague_name=colleague.name,
                client_name=handoff.client_name,
                page_url=referral_url(settings, referral.id),
            ),
            now,
            member.id,
            referral.id,
        )
        contact = {k: handoff.client[k] for k in ("name", "email", "phone", "company", "location")}
        handover = Handover(contact, member.name, member.email, handoff.finish_by)
        uow.commit()
    return handover


@dataclass(frozen=True)
class Outcome:
    """What an answer led to: the next referral when the client was offered on automatically."""

    referral_id: int
    next_referral_id: int | None = None


def after_no(
    s: Session, settings: Settings, referral: Referral, now: datetime, rank: Ranker | None, compose
) -> int | None:
    """Tell the member, and offer the next best candidate when the handoff asks for it."""
    s.flush()  # the old offer leaves the live index before the next one enters it
    handoff = referral.handoff
    member = load_member(s, handoff.member_id)
    nxt = None
    if handoff.auto_cascade and rank is not None and live_referral(s, handoff.id) is None:
        nxt = next_candidate(s, settings, handoff, member, now, rank)
    colleague = s.get(Colleague, referral.to_id)
    next_name = s.get(Colleague, nxt.to_id).name if nxt else None
    queue_mail(
        s,
        settings,
        compose(
            member_name=member.name,
            member_email=member.email,
            colleague_name=colleague.name,
            client_name=handoff.client_name,
            next_name=next_name,
            cascade=handoff.auto_cascade,
            page_url=referral_url(settings, referral.id),
        ),
        now,
        member.id,
        referral.id,
    )
    return nxt.id if nxt else None


def decline(
    uow: UnitOfWork,
    settings: Settings,
    *,
    referral_id: int,
    colleague_id: int,
    jti: str,
    reason: str | None,
    now: datetime,
    rank: Ranker | None = None,
) -> Outcome:
    """The colleague says no (the reason is optional); the member is told, and with
    ``auto_cascade`` the next candidate is offered. Errors as for :func:`accept`."""
    reason = (reason or "").strip() or None
    with uow:
        s = uow.session
        referral = check_answerable(s, referral_id, colleague_id, jti, now)
        _use_link(s, jti, now)
        referral.move_to("declined", now)
        referral.decline_reason = reason
        nxt = after_no(
            s, settings, referral, now, rank, lambda **kw: mailbox.declined_to_member(reason=reason, **kw)
        )
        uow.commit()
        return Outcome(referral_id, nxt)
