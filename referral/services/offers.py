"""Offering a handoff's client to a colleague, and every answer to that offer.

Each verb is one transaction (``with uow:``) that changes the referral and writes the
mail it causes into the outbox in the same commit. Races are settled by locks, not
luck: the handoff row is locked while it is offered (one live referral per client,
backed by a partial unique index), the colleague row while their places are counted
(never more open referrals than ``capacity``), the referral row while it is answered
(one answer per offer). On SQLite every write transaction is ``BEGIN IMMEDIATE``,
which serialises the same steps.

The ranking of candidates is injected (``rank``): a callable ``(session, handoff) ->
[colleague id, best first]``. Every ranked id is checked again with
:func:`why_not_offerable` under its row lock before it is offered.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import exists, func, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from referral.adapters import orm
from referral.adapters import outbox as outbox_table
from referral.adapters.links import LinkSigner, UsedLink
from referral.adapters.outbox import OutgoingMail
from referral.adapters.uow import UnitOfWork
from referral.config import Settings
from referral.domain.errors import Conflict, Invalid, NotFound
from referral.domain.letters import ContactCard, Letter, client_letter
from referral.domain.lifecycle import OPEN_STATUSES
from referral.domain.model import Colleague, Handoff, Member, Referral
from referral.domain.text import place_key, places_match
from referral.services import ledger, mailbox

__all__ = [
    "NotOfferable",
    "OfferClosed",
    "Outcome",
    "Ranker",
    "accept",
    "answer_url",
    "breaks_hard_rule",
    "check_answerable",
    "decline",
    "expire_overdue",
    "letter_for",
    "offer_to",
    "referral_url",
    "send_client_letter",
    "send_reminders",
    "why_not_offerable",
    "withdraw",
]

Ranker = Callable[[Session, Handoff], list[int]]

#: where the web layer serves the answer page and the member's referral page
ANSWER_PATH = "/offers/{token}"
REFERRAL_PATH = "/referrals/{referral_id}"
#: statuses that hold a handoff's one live place (the partial unique index)
LIVE_STATUSES = ("offered", "accepted", "completed")


class NotOfferable(Conflict):
    """The colleague cannot be offered this client now; the message says why, in plain words."""


class OfferClosed(Conflict):
    """The offer was already answered, withdrawn or has expired; nothing was changed."""

    def __init__(self, referral: Referral, member_name: str, status: str | None = None):
        self.status = status or referral.status
        self.answered_at = referral.answered_at
        self.expires_at = referral.expires_at
        self.member_name = member_name
        super().__init__(f"this offer is {self.status}")


def answer_url(settings: Settings, token: str) -> str:
    return settings.base_url + ANSWER_PATH.format(token=token)


def referral_url(settings: Settings, referral_id: int) -> str:
    return settings.base_url + REFERRAL_PATH.format(referral_id=referral_id)


# --- who may be offered a client -------------------------------------------------------------


def breaks_hard_rule(
    handoff: Handoff,
    colleague: Colleague,
    *,
    member_colleague_id: int,
    open_count: int,
    turned_down: bool,
    today: date | None,
) -> str | None:
    if colleague.id == member_colleague_id:
        return "You cannot offer a client to yourself."
    if colleague.removed_at is not None:
        return f"{colleague.name} is no longer in the network."
    if open_count >= colleague.capacity:
        return (
            f"{colleague.name} has no free place: {open_count} open referral"
            f"{'s' if open_count != 1 else ''} of {colleague.capacity}."
        )
    if today is not None and colleague.is_paused(today):
        return f"{colleague.name} takes no referrals until after {colleague.paused_until.isoformat()}."
    clash = sorted(set(colleague.dealbreakers) & set(handoff.reasons))
    if clash:
        return f"{colleague.name} does not take clients for this reason: {', '.join(clash)}."
    if turned_down:
        return f"{colleague.name} already declined this client, or let the offer expire."
    if not colleague.remote and place_key(handoff.client_location) and not places_match(
            colleague.location, handoff.client_location):
        return f"{colleague.name} serves only clients in {colleague.location or 'their own area'}."
    return None


def _turned_down_ids(session: Session, handoff_id: int) -> set[int]:
    R = orm.referrals
    return set(
        session.scalars(
            select(R.c.to_id).where(R.c.handoff_id == handoff_id, R.c.status.in_(("declined", "expired")))
        )
    )


def _open_counts(session: Session, ids=None) -> dict[int, int]:
    R = orm.referrals
    q = select(R.c.to_id, func.count()).where(R.c.status.in_(OPEN_STATUSES)).group_by(R.c.to_id)
    if ids is not None:
        q = q.where(R.c.to_id.in_(list(ids)))
    return dict(session.execute(q).all())


def _member_colleague_id(session: Session, member_id: int) -> int:
    return session.scalar(select(orm.members.c.colleague_id).where(orm.members.c.id == member_id))


def why_not_offerable(session: Session, handoff: Handoff, colleague: Colleague, today: date) -> str | None:
    """None when the contract's hard rules let ``colleague`` be offered ``handoff``'s client, else why not.

    The rules: not the member themself, open referrals (offered plus accepted) below
    capacity, not paused today, no dealbreaker among the handoff's reasons, has not
    declined or let expire this handoff, and a ``remote: false`` colleague only where the
    client is. Lock the colleague row first when the answer must hold until commit.
    """
    return breaks_hard_rule(
        handoff,
        colleague,
        member_colleague_id=_member_colleague_id(session, handoff.member_id),
        open_count=_open_counts(session, [colleague.id]).get(colleague.id, 0),
        turned_down=colleague.id in _turned_down_ids(session, handoff.id),
        today=today,
    )


def _lock(session: Session, cls, ident: int):
    """The row, locked until commit (FOR UPDATE on PostgreSQL; SQLite already holds the write lock)."""
    return session.get(cls, ident, with_for_update=True, populate_existing=True)


def _member(session: Session, member_id: int) -> Member:
    return session.get(Member, member_id)


def _queue(
    session: Session,
    settings: Settings,
    mail: OutgoingMail,
    now: datetime,
    member_id: int | None,
    referral_id: int | None,
) -> None:
    outbox_table.queue(
        session, mail, mail_from=settings.mail_from, now=now, member_id=member_id, referral_id=referral_id
    )


def _offer_mail(
    session: Session,
    settings: Settings,
    referral: Referral,
    colleague: Colleague,
    member: Member,
    now: datetime,
    reminder: bool = False,
) -> None:
    links = LinkSigner(settings.secret_key)
    token = lambda action: links.make(referral.id, colleague.id, action, referral.expires_at)
    mail = mailbox.offer(
        handoff=referral.handoff,
        member_name=member.name,
        colleague_name=colleague.name,
        colleague_email=colleague.email,
        disclosure_text=referral.disclosure.text,
        accept_url=answer_url(settings, token("accept")),
        decline_url=answer_url(settings, token("decline")),
        expires_at=referral.expires_at,
        reminder=reminder,
    )
    _queue(session, settings, mail, now, member.id, referral.id)


def _live_referral(session: Session, handoff_id: int) -> Referral | None:
    return session.scalar(
        select(Referral).where(Referral.handoff_id == handoff_id, Referral.status.in_(LIVE_STATUSES))
    )


def _create_offer(
    session: Session,
    settings: Settings,
    handoff: Handoff,
    member: Member,
    colleague: Colleague,
    now: datetime,
) -> Referral:
    referral = Referral(
        member.colleague_id,
        colleague.id,
        now,
        handoff=handoff,
        disclosure=handoff.disclosure,
        expires_at=now + timedelta(hours=settings.expire_after_hours),
    )
    session.add(referral)
    try:
        session.flush()
    except IntegrityError as err:  # another request offered this client a moment ago
        raise Conflict("This client was just offered to someone else.") from err
    _offer_mail(session, settings, referral, colleague, member, now)
    return referral


def _next_candidate(
    session: Session, settings: Settings, handoff: Handoff, member: Member, now: datetime, rank: Ranker
) -> Referral | None:
    for colleague_id in rank(session, handoff):
        colleague = _lock(session, Colleague, colleague_id)
        if colleague is not None and why_not_offerable(session, handoff, colleague, now.date()) is None:
            return _create_offer(session, settings, handoff, member, colleague, now)
    return None


# --- the verbs --------------------------------------------------------------------------------


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
        handoff = _lock(s, Handoff, handoff_id)
        if handoff is None or handoff.member_id != member_id:
            raise NotFound(f"You have no handoff {handoff_id}.")
        live = _live_referral(s, handoff_id)
        if live is not None:
            who = s.get(Colleague, live.to_id)
            raise Conflict(
                f"{handoff.client_name} is already {live.status} "
                f"{'to' if live.status == 'offered' else 'by'} {who.name if who else 'a colleague'}."
            )
        member = _member(s, member_id)
        if colleague_id is None:
            if rank is None:
                raise Invalid({"colleague_id": ["Name a colleague, or ask for the best candidate."]})
            referral = _next_candidate(s, settings, handoff, member, now, rank)
            if referral is None:
                raise NotOfferable(
                    "No colleague can take this client right now: everyone who fits is full, "
                    "paused, or has already been asked."
                )
        else:
            colleague = _lock(s, Colleague, colleague_id)
            if colleague is None:
                raise NotFound(f"There is no colleague {colleague_id} in the network.")
            why = why_not_offerable(s, handoff, colleague, now.date())
            if why:
                raise NotOfferable(why)
            referral = _create_offer(s, settings, handoff, member, colleague, now)
        referral_id = referral.id
        uow.commit()
        return referral_id


def check_answerable(
    session: Session, referral_id: int, colleague_id: int, jti: str, now: datetime, lock: bool = True
) -> Referral:
    """The referral (locked, unless ``lock=False`` for a read) if this link may still answer it.

    Otherwise raises why not: ``NotFound``, ``UsedLink`` or ``OfferClosed``.
    """
    referral = _lock(session, Referral, referral_id) if lock else session.get(Referral, referral_id)
    if referral is None or referral.to_id != colleague_id or referral.handoff is None:
        raise NotFound("This offer no longer exists.")
    if session.scalar(select(exists().where(orm.used_links.c.jti == jti))):
        raise UsedLink("this link was used already")
    member_name = _member(session, referral.handoff.member_id).name
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
        colleague = _lock(s, Colleague, colleague_id)
        others = _open_counts(s, [colleague_id]).get(colleague_id, 0) - 1  # this offer already counts
        if others >= colleague.capacity:
            raise Conflict(f"You already have {others} open referrals, your limit is {colleague.capacity}.")
        _use_link(s, jti, now)
        referral.move_to("accepted", now)
        referral.acknowledged_sha256 = referral.disclosure.sha256
        ledger.link_return(s, referral)  # a client coming back to someone who sent one before
        handoff, member = referral.handoff, _member(s, referral.handoff.member_id)
        _queue(
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
        _queue(
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


def _after_no(
    s: Session, settings: Settings, referral: Referral, now: datetime, rank: Ranker | None, compose
) -> int | None:
    """Tell the member, and offer the next best candidate when the handoff asks for it."""
    s.flush()  # the old offer leaves the live index before the next one enters it
    handoff = referral.handoff
    member = _member(s, handoff.member_id)
    nxt = None
    if handoff.auto_cascade and rank is not None and _live_referral(s, handoff.id) is None:
        nxt = _next_candidate(s, settings, handoff, member, now, rank)
    colleague = s.get(Colleague, referral.to_id)
    next_name = s.get(Colleague, nxt.to_id).name if nxt else None
    _queue(
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
        nxt = _after_no(
            s, settings, referral, now, rank, lambda **kw: mailbox.declined_to_member(reason=reason, **kw)
        )
        uow.commit()
        return Outcome(referral_id, nxt)


def withdraw(uow: UnitOfWork, settings: Settings, *, member_id: int, referral_id: int, now: datetime) -> None:
    """The member takes back an open offer; the colleague is told. Not open: ``IllegalTransition``."""
    with uow:
        s = uow.session
        referral = _lock(s, Referral, referral_id)
        if referral is None or referral.from_id != _member_colleague_id(s, member_id):
            raise NotFound(f"You have no referral {referral_id}.")
        referral.move_to("withdrawn", now)
        colleague, member = s.get(Colleague, referral.to_id), _member(s, member_id)
        _queue(
            s,
            settings,
            mailbox.withdrawn_to_colleague(
                member_name=member.name, colleague_name=colleague.name, colleague_email=colleague.email
            ),
            now,
            member_id,
            referral.id,
        )
        uow.commit()


def expire_overdue(uow: UnitOfWork, settings: Settings, *, now: datetime, rank: Ranker | None = None) -> int:
    """Expire every open offer past its time, one transaction each; returns how many expired."""
    with uow.reading():
        due = uow.session.scalars(
            select(Referral.id)
            .where(Referral.status == "offered", Referral.expires_at <= now)
            .order_by(Referral.expires_at)
        ).all()
    done = 0
    for referral_id in due:
        with uow:
            s = uow.session
            referral = _lock(s, Referral, referral_id)
            if referral is None or referral.status != "offered" or referral.handoff is None:
                continue  # answered meanwhile, or a referral from the history without a handoff
            referral.move_to("expired", now)
            _after_no(s, settings, referral, now, rank, mailbox.expired_to_member)
            uow.commit()
            done += 1
    return done


def send_reminders(uow: UnitOfWork, settings: Settings, *, now: datetime) -> int:
    """Remind, once, each colleague who has not answered after ``reminder_after_hours``; returns how many."""
    cutoff = now - timedelta(hours=settings.reminder_after_hours)
    with uow.reading():
        due = uow.session.scalars(
            select(Referral.id).where(
                Referral.status == "offered",
                Referral.reminded_at.is_(None),
                Referral.offered_at <= cutoff,
                Referral.expires_at > now,
                Referral.handoff_id.is_not(None),
            )
        ).all()
    done = 0
    for referral_id in due:
        with uow:
            s = uow.session
            referral = _lock(s, Referral, referral_id)
            if referral is None or referral.status != "offered" or referral.reminded_at is not None:
                continue
            referral.reminded_at = now
            _offer_mail(
                s,
                settings,
                referral,
                s.get(Colleague, referral.to_id),
                _member(s, referral.handoff.member_id),
                now,
                reminder=True,
            )
            uow.commit()
            done += 1
    return done


def letter_for(session: Session, referral: Referral) -> Letter:
    """The draft letter to the client for the handoff's exit strategy."""
    handoff = referral.handoff
    me = session.get(Colleague, referral.from_id)
    them = session.get(Colleague, referral.to_id)
    return client_letter(
        handoff.exit_strategy,
        client_name=handoff.client_name,
        member=ContactCard(me.name, me.email, location=me.location),
        colleague=ContactCard(them.name, them.email),
        finish_by=handoff.finish_by,
    )


def send_client_letter(
    uow: UnitOfWork,
    settings: Settings,
    *,
    member_id: int,
    referral_id: int,
    body: str,
    now: datetime,
    subject: str | None = None,
) -> None:
    """Queue the (reviewed) letter to the client; once per accepted referral, else ``Conflict``."""
    body = (body or "").replace("\r\n", "\n").strip()
    if not body:
        raise Invalid({"body": ["The letter is empty."]})
    with uow:
        s = uow.session
        referral = _lock(s, Referral, referral_id)
        if (
            referral is None
            or referral.handoff is None
            or referral.from_id != _member_colleague_id(s, member_id)
        ):
            raise NotFound(f"You have no referral {referral_id}.")
        if referral.status not in ("accepted", "completed"):
            raise Conflict("The letter can go out once the colleague has accepted.")
        OB = orm.outbox
        if s.scalar(select(exists().where(OB.c.referral_id == referral_id, OB.c.kind == "client_letter"))):
            raise Conflict("The letter to the client was sent already.")
        draft = letter_for(s, referral)
        mail = mailbox.letter_to_client(
            letter=Letter(subject or draft.subject, body + "\n"), client_email=referral.handoff.client_email
        )
        _queue(s, settings, mail, now, member_id, referral_id)
        uow.commit()
