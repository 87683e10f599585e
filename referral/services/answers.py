"""The colleague's answers to an offer: accept or decline, through the links in the offer email.

Each answer is one transaction: the referral row is locked while it is answered (one
answer per offer), the link's one-time id is recorded with the answer, and the mail the
answer causes is written to the outbox in the same commit.

Every answer first locks the handoff's row, then the referral's: answers to the offers of one
client (a broadcast's several offers above all) run one after the other, always taking the
locks in the same order, so the first accept wins and nothing deadlocks.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import exists, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from referral.adapters import orm
from referral.adapters.links import UsedLink
from referral.adapters.uow import UnitOfWork
from referral.config import Settings
from referral.domain.errors import Conflict, Invalid, NotFound
from referral.domain.model import Colleague, Handoff, Referral
from referral.domain.vocab import DECLINE_CODES
from referral.services import dispatch, history, ledger, mailbox
from referral.services.eligibility import open_counts
from referral.services.offers import (
    Ranker,
    handoff_of,
    live_referral,
    load_colleague,
    load_member,
    lock_row,
    next_candidate,
    offer_mail,
    queue_mail,
    referral_url,
)
from referral.services.queries import member_colleague_id

__all__ = [
    "Handover",
    "OfferClosed",
    "Outcome",
    "accept",
    "after_no",
    "check_answerable",
    "decline",
    "lock_handoff_of",
    "reopen",
]


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
    if referral.status == "withdrawn" and dispatch.placed_elsewhere(session, referral):
        raise OfferClosed(referral, member_name, status="placed")
    if referral.status != "offered":
        raise OfferClosed(referral, member_name)
    if referral.expires_at is not None and now >= referral.expires_at:
        raise OfferClosed(referral, member_name, status="expired")
    return referral


def lock_handoff_of(session: Session, referral_id: int) -> None:
    """Lock the handoff of this referral (if any) before the referral itself: see the module's note."""
    handoff_id = session.scalar(select(orm.referrals.c.handoff_id).where(orm.referrals.c.id == referral_id))
    if handoff_id is not None:
        lock_row(session, Handoff, handoff_id)


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
    In a broadcast the other open offers are withdrawn, each colleague told the client was
    placed. Raises ``Invalid`` without the acknowledgment, ``UsedLink`` for a second use,
    ``OfferClosed`` when the offer is no longer open (or another colleague took the client
    first), ``Conflict`` when the colleague has meanwhile no free place.
    """
    if not acknowledged:
        raise Invalid({"acknowledged": ["Please confirm that you have read the fair warning."]})
    with uow:
        s = uow.session
        lock_handoff_of(s, referral_id)
        referral = check_answerable(s, referral_id, colleague_id, jti, now)
        colleague = lock_row(s, Colleague, colleague_id)
        if colleague is None or referral.disclosure is None:  # gone, or a referral from the history
            raise NotFound("This offer no longer exists.")
        others = open_counts(s, [colleague_id]).get(colleague_id, 0) - 1  # this offer already counts
        if others >= colleague.capacity:
            raise Conflict(f"You already have {others} open referrals, your limit is {colleague.capacity}.")
        _use_link(s, jti, now)
        referral.move_to("accepted", now)
        referral.acknowledged_sha256 = referral.disclosure.sha256
        s.flush()  # the unique index on accepted offers per client is the last guard against a second taker
        ledger.link_return(s, referral)  # a client coming back to someone who sent one before
        handoff = handoff_of(referral)
        member = load_member(s, handoff.member_id)
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
            colleague,
        )
        placed_note = dispatch.close_after_accept(s, settings, referral, member, now)
        history.tell_member(
            s,
            settings,
            referral,
            mailbox.accepted_to_member(
                member_name=member.name,
                member_email=member.email,
                colleague_name=colleague.name,
                client_name=handoff.client_name,
                page_url=referral_url(settings, referral.id),
            ),
            actor=colleague.name,
            action="accepted",
            detail=f"{colleague.name} accepted {handoff.client_name}.{placed_note}",
            now=now,
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
    s: Session, settings: Settings, referral: Referral, now: datetime, rank: Ranker | None, compose, what: str
) -> int | None:
    """Offer the next colleague when the handoff asks for it (the waterfall's next step, or the next
    best candidate), then tell the member what happened and what follows (``what``: one sentence)."""
    s.flush()  # the old offer leaves the open-offer index before the next one enters it
    handoff = handoff_of(referral)
    member = load_member(s, handoff.member_id)
    colleague = load_colleague(s, referral.to_id)
    actor = colleague.name if referral.status == "declined" else "The service"
    event_id = history.record(s, referral, actor=actor, action=referral.status, detail=what, now=now, notify=True)
    nxt: Referral | None = None
    waiting: list[str] = []
    if referral.dispatch_id is not None:
        nxt, waiting = dispatch.next_step(s, settings, referral, member, now)
    elif handoff.auto_cascade and rank is not None and live_referral(s, handoff.id) is None:
        nxt = next_candidate(s, settings, handoff, member, now, rank)
    next_name = load_colleague(s, nxt.to_id).name if nxt else None
    cascade = handoff.auto_cascade or referral.dispatch_id is not None
    follows = (
        f" Offered next to {next_name}." if next_name
        else f" Still open with {', '.join(waiting)}." if waiting
        else " No one else is waiting to be asked." if cascade
        else ""
    )
    history.amend(s, event_id, what + follows)
    mail = compose(
        member_name=member.name,
        member_email=member.email,
        colleague_name=colleague.name,
        client_name=handoff.client_name,
        next_name=next_name,
        waiting=waiting,
        cascade=cascade,
        page_url=referral_url(settings, referral.id),
    )
    history.mail_member(s, settings, referral, mail, now)
    return nxt.id if nxt else None


def decline(
    uow: UnitOfWork,
    settings: Settings,
    *,
    referral_id: int,
    colleague_id: int,
    jti: str,
    code: str,
    note: str | None,
    now: datetime,
    rank: Ranker | None = None,
) -> Outcome:
    """The colleague says no, with a decline code and an optional note; the member is told both.

    ``no_capacity`` pauses offers to the colleague for ``NO_CAPACITY_PAUSE_DAYS``. In a waterfall
    (or with ``auto_cascade``) the next colleague is offered the client. Raises ``Invalid`` for a
    missing or unknown code, otherwise as :func:`accept`.
    """
    if code not in DECLINE_CODES:
        raise Invalid({"decline_code": ["Choose why you decline: " + ", ".join(DECLINE_CODES) + "."]})
    note = (note or "").strip() or None
    with uow:
        s = uow.session
        lock_handoff_of(s, referral_id)
        referral = check_answerable(s, referral_id, colleague_id, jti, now)
        _use_link(s, jti, now)
        referral.move_to("declined", now)
        referral.decline_code, referral.decline_reason = code, note
        colleague = load_colleague(s, colleague_id)
        if code == "no_capacity":
            until = now.date() + timedelta(days=settings.no_capacity_pause_days)
            if colleague.paused_until is None or colleague.paused_until < until:
                colleague.update(now, paused_until=until)  # the unit of work logs the change for the index
        what = f"{colleague.name} declined {handoff_of(referral).client_name}: {DECLINE_CODES[code]}."
        if note:
            what += f" Their note: \u201c{note}\u201d"
        nxt = after_no(
            s,
            settings,
            referral,
            now,
            rank,
            lambda **kw: mailbox.declined_to_member(code=code, note=note, **kw),
            what,
        )
        uow.commit()
        return Outcome(referral_id, nxt)


def reopen(
    uow: UnitOfWork, settings: Settings, *, member_id: int, referral_id: int, reason: str, now: datetime
) -> None:
    """Undo a wrongly recorded answer (accepted, declined or expired): the offer is open again.

    The colleague gets fresh links by mail; the reason goes into the handoff's trail. Raises
    ``Invalid`` without a reason, ``NotFound`` for another member's referral, ``IllegalTransition``
    for an answer that cannot be undone, and ``Conflict`` while the client is offered to or
    taken by someone else.
    """
    reason = (reason or "").strip()
    if not reason:
        raise Invalid({"reason": ["Say why the answer was wrong: it goes into the handoff's history."]})
    with uow:
        s = uow.session
        lock_handoff_of(s, referral_id)
        referral = lock_row(s, Referral, referral_id)
        if referral is None or referral.handoff is None or referral.from_id != member_colleague_id(s, member_id):
            raise NotFound(f"You have no referral {referral_id}.")
        live = live_referral(s, referral.handoff.id)
        if live is not None and live.id != referral.id:
            raise Conflict("The client is offered to or taken by someone else now; withdraw that offer first.")
        was = referral.reopen(now, now + timedelta(hours=settings.expire_after_hours))
        referral.offer_slot = 0
        try:
            s.flush()
        except IntegrityError as err:
            raise Conflict("The client was just offered to someone else.") from err
        member, colleague = load_member(s, member_id), load_colleague(s, referral.to_id)
        offer_mail(s, settings, referral, colleague, member, now)
        history.record(
            s,
            referral,
            actor=member.name,
            action="reopened",
            detail=f"The answer \u201c{was}\u201d from {colleague.name} was undone: {reason}",
            now=now,
        )
        uow.commit()
