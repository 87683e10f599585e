"""Offering a handoff's client to a colleague, and taking the offer back.

Each verb is one transaction (``with uow:``) that changes the referral and writes the
mail it causes into the outbox in the same commit. Races are settled by locks, not
luck: the handoff row is locked while it is offered (one live referral per client,
backed by a partial unique index), the colleague row while their places are counted
(never more open referrals than ``capacity``). On SQLite every write transaction is
``BEGIN IMMEDIATE``, which serialises the same steps.

The ranking of candidates is injected (``rank``): a callable ``(session, handoff) ->
[colleague id, best first]``. Every ranked id is checked again with
:func:`~referral.services.eligibility.why_not_offerable` under its row lock before it is offered.

The answers to an offer live in :mod:`referral.services.answers`, reminders and expiry in
:mod:`referral.services.timing`, the letter to the client in :mod:`referral.services.client_letters`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, timedelta
from typing import TypeVar

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from referral.adapters import orm
from referral.adapters import outbox as outbox_table
from referral.adapters.links import LinkSigner, UnsubscribeSigner
from referral.adapters.outbox import OutgoingMail
from referral.adapters.uow import UnitOfWork
from referral.config import Settings
from referral.domain.errors import Conflict, Invalid, NotFound
from referral.domain.model import Colleague, Handoff, Member, Referral
from referral.services import history, mailbox
from referral.services.eligibility import why_not_offerable
from referral.services.queries import member_colleague_id

__all__ = [
    "LIVE_STATUSES",
    "NotOfferable",
    "Ranker",
    "answer_url",
    "create_offer",
    "handoff_of",
    "load_colleague",
    "load_member",
    "lock_row",
    "next_candidate",
    "offer_mail",
    "offer_to",
    "open_handoff",
    "queue_mail",
    "referral_url",
    "unsubscribe_url",
    "withdraw",
]

Ranker = Callable[[Session, Handoff], list[int]]
Entity = TypeVar("Entity")
R = orm.referrals

#: where the web layer serves the answer page and the member's referral page
ANSWER_PATH = "/offers/{token}"
REFERRAL_PATH = "/referrals/{referral_id}"
UNSUBSCRIBE_PATH = "/offers/unsubscribe/{token}"
#: statuses that hold a handoff's one live place (the partial unique index)
LIVE_STATUSES = ("offered", "accepted", "completed")


class NotOfferable(Conflict):
    """The colleague cannot be offered this client now; the message says why, in plain words."""


def answer_url(settings: Settings, token: str) -> str:
    return settings.base_url + ANSWER_PATH.format(token=token)


def referral_url(settings: Settings, referral_id: int) -> str:
    return settings.base_url + REFERRAL_PATH.format(referral_id=referral_id)


def unsubscribe_url(settings: Settings, colleague_id: int) -> str:
    return settings.base_url + UNSUBSCRIBE_PATH.format(token=UnsubscribeSigner(settings.secret_key).make(colleague_id))


def lock_row(session: Session, cls: type[Entity], ident: int) -> Entity | None:
    """The row, locked until commit (FOR UPDATE on PostgreSQL; SQLite already holds the write lock)."""
    return session.get(cls, ident, with_for_update=True, populate_existing=True)


def load_member(session: Session, member_id: int) -> Member:
    """The member with this id; ``NotFound`` when there is none."""
    member = session.get(Member, member_id)
    if member is None:
        raise NotFound(f"No member {member_id}.")
    return member


def load_colleague(session: Session, colleague_id: int) -> Colleague:
    """The colleague with this id (a removed one too); ``NotFound`` when there is none."""
    colleague = session.get(Colleague, colleague_id)
    if colleague is None:
        raise NotFound(f"There is no colleague {colleague_id} in the network.")
    return colleague


def handoff_of(referral: Referral) -> Handoff:
    """The handoff an offer is about; ``NotFound`` for a referral from the history, which has none."""
    if referral.handoff is None:
        raise NotFound(f"Referral {referral.id} belongs to no handoff.")
    return referral.handoff


def queue_mail(
    session: Session,
    settings: Settings,
    mail: OutgoingMail,
    now: datetime,
    member_id: int | None,
    referral_id: int | None,
    colleague: Colleague | None = None,
) -> None:
    """Write ``mail`` to the outbox in the caller's transaction, on behalf of ``member_id``.

    Mail to a ``colleague`` who is not a member carries their one-click unsubscribe address.
    """
    M = orm.members
    if colleague is not None and session.scalar(select(M.c.id).where(M.c.colleague_id == colleague.id)) is None:
        mail = replace(mail, unsubscribe_url=unsubscribe_url(settings, colleague.id))
    outbox_table.queue(
        session, mail, mail_from=settings.mail_from, now=now, member_id=member_id, referral_id=referral_id
    )


def offer_mail(
    session: Session,
    settings: Settings,
    referral: Referral,
    colleague: Colleague,
    member: Member,
    now: datetime,
    reminder: bool = False,
) -> None:
    """Queue the offer email (or its reminder) with the colleague's signed Accept and Decline links.

    ``ValueError`` for a referral that is no offer (one from the history: no disclosure, no expiry).
    """
    expires_at, disclosure = referral.expires_at, referral.disclosure
    if expires_at is None or disclosure is None:
        raise ValueError(f"referral {referral.id} is not an offer: it has no expiry or no fair warning")
    links = LinkSigner(settings.secret_key)
    token = lambda action: links.make(referral.id, colleague.id, action, expires_at)
    mail = mailbox.offer(
        handoff=handoff_of(referral),
        member_name=member.name,
        colleague_name=colleague.name,
        colleague_email=colleague.email,
        disclosure_text=disclosure.text,
        accept_url=answer_url(settings, token("accept")),
        decline_url=answer_url(settings, token("decline")),
        expires_at=expires_at,
        reminder=reminder,
    )
    queue_mail(session, settings, mail, now, member.id, referral.id, colleague)


def live_referral(session: Session, handoff_id: int) -> Referral | None:
    """The handoff's one offered, accepted or completed referral, if any."""
    return session.scalar(
        select(Referral).where(R.c.handoff_id == handoff_id, R.c.status.in_(LIVE_STATUSES))
    )


def open_handoff(session: Session, member_id: int, handoff_id: int) -> Handoff:
    """The member's handoff, locked, when its client may be offered now.

    ``NotFound`` for another member's handoff; ``Conflict`` while the client is offered to
    or taken by someone already.
    """
    handoff = lock_row(session, Handoff, handoff_id)
    if handoff is None or handoff.member_id != member_id:
        raise NotFound(f"You have no handoff {handoff_id}.")
    live = live_referral(session, handoff_id)
    if live is not None:
        who = session.get(Colleague, live.to_id)
        raise Conflict(
            f"{handoff.client_name} is already {live.status} "
            f"{'to' if live.status == 'offered' else 'by'} {who.name if who else 'a colleague'}."
        )
    return handoff


def create_offer(
    session: Session,
    settings: Settings,
    handoff: Handoff,
    member: Member,
    colleague: Colleague,
    now: datetime,
    *,
    hours: float | None = None,
    dispatch_id: int | None = None,
    slot: int = 0,
) -> Referral:
    """Store a new offer, open for ``hours`` (default ``OFFER_EXPIRY_HOURS``), and queue its mail.

    ``dispatch_id`` and ``slot`` tie it to a waterfall or broadcast. Raises ``Conflict`` when
    the client was offered meanwhile.
    """
    expires_at = now + timedelta(hours=hours or settings.expire_after_hours)
    referral = Referral(
        member.colleague_id,
        colleague.id,
        now,
        handoff=handoff,
        disclosure=handoff.disclosure,
        expires_at=expires_at,
    )
    referral.dispatch_id, referral.offer_slot = dispatch_id, slot
    session.add(referral)
    try:
        session.flush()
    except IntegrityError as err:  # another request offered this client a moment ago
        raise Conflict("This client was just offered to someone else.") from err
    offer_mail(session, settings, referral, colleague, member, now)
    history.record(session, referral, actor=member.name, action="offered",
                   detail=f"Offered to {colleague.name}, open until {mailbox.when(expires_at)}.", now=now)
    return referral


def next_candidate(
    session: Session, settings: Settings, handoff: Handoff, member: Member, now: datetime, rank: Ranker
) -> Referral | None:
    """Offer the client to the best ranked colleague who passes the hard rules; None when nobody does."""
    for colleague_id in rank(session, handoff):
        colleague = lock_row(session, Colleague, colleague_id)
        if colleague is not None and why_not_offerable(session, handoff, colleague, now.date()) is None:
            return create_offer(session, settings, handoff, member, colleague, now)
    return None


def offer_to(
    uow: UnitOfWork,
    settings: Settings,
    *,
    member_id: int,
    handoff_id: int,
    now: datetime,
    colleague_id: int | None = None,
    rank: Ranker | None = None,
) -> int:
    """Offer the member's handoff to ``colleague_id`` (or, with ``rank``, to the best candidate).

    Returns the new referral's id; queues the offer email. Raises ``NotFound`` for another
    member's handoff or an unknown colleague, ``Conflict`` when the client is already
    offered or accepted, and ``NotOfferable`` (a ``Conflict``) when the colleague fails a
    hard rule or no candidate is left.
    """
    with uow:
        s = uow.session
        handoff = open_handoff(s, member_id, handoff_id)
        member = load_member(s, member_id)
        if colleague_id is None:
            if rank is None:
                raise Invalid({"colleague_id": ["Name a colleague, or ask for the best candidate."]})
            referral = next_candidate(s, settings, handoff, member, now, rank)
            if referral is None:
                raise NotOfferable(
                    "No colleague can take this client right now: everyone who fits is full, "
                    "paused, or has already been asked."
                )
        else:
            colleague = lock_row(s, Colleague, colleague_id)
            if colleague is None:
                raise NotFound(f"There is no colleague {colleague_id} in the network.")
            why = why_not_offerable(s, handoff, colleague, now.date())
            if why:
                raise NotOfferable(why)
            referral = create_offer(s, settings, handoff, member, colleague, now)
        referral_id = referral.id
        uow.commit()
        return referral_id


def withdraw(uow: UnitOfWork, settings: Settings, *, member_id: int, referral_id: int, now: datetime) -> None:
    """The member takes back an open offer; the colleague is told. Not open: ``IllegalTransition``."""
    with uow:
        s = uow.session
        referral = lock_row(s, Referral, referral_id)
        if referral is None or referral.from_id != member_colleague_id(s, member_id):
            raise NotFound(f"You have no referral {referral_id}.")
        referral.move_to("withdrawn", now)
        colleague, member = load_colleague(s, referral.to_id), load_member(s, member_id)
        if referral.handoff is not None:
            history.record(s, referral, actor=member.name, action="withdrawn",
                           detail=f"Offer to {colleague.name} withdrawn.", now=now)
        queue_mail(
            s,
            settings,
            mailbox.withdrawn_to_colleague(
                member_name=member.name, colleague_name=colleague.name, colleague_email=colleague.email
            ),
            now,
            member_id,
            referral.id,
            colleague,
        )
        uow.commit()
