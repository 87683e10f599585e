"""Letting go with care: the contract's terms, the letter to the client and its timeline, the own firm.

Each verb is one transaction (``with uow:``) and queues the mail it causes in the same
commit. The letter to the client waits while a second read is requested and not yet
answered, unless the member chooses to go ahead (``go_ahead``). The worker calls
:func:`send_timeline_reminders` each round: a reminder to call the client 24 hours after
the letter unless the member noted a reply, and reminders 7 days and 1 day before the
date the member promised to finish by.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import case, or_, select, update
from sqlalchemy.orm import Session

from referral.adapters import orm
from referral.adapters import outbox as outbox_table
from referral.adapters.uow import UnitOfWork
from referral.config import Settings
from referral.domain.errors import Conflict, Invalid, NotFound
from referral.domain.letters import ContactCard, Letter, client_letter
from referral.domain.matching import Candidate
from referral.domain.model import Colleague, Handoff, Review, finish_reminder_due
from referral.services import care_mail, mailbox
from referral.services.offers import load_member

__all__ = [
    "CALL_AFTER",
    "FIT_SHARE",
    "FirmCandidate",
    "accepted_colleague",
    "care_view",
    "check_letter_may_go",
    "close",
    "draft_letter",
    "erase_reviews",
    "fix_term",
    "handoff_url",
    "has_ended",
    "mark_letter_sent",
    "member_colleague",
    "note_client_replied",
    "own_firm_first",
    "owned",
    "send_letter",
    "send_timeline_reminders",
]

#: where the web layer serves a member's handoff page (for links in the member's own mail)
HANDOFF_PATH = "/handoffs/{handoff_id}"
#: after the letter, how long without a reply before the member is reminded to call
CALL_AFTER = timedelta(hours=24)
#: a colleague of the member's own firm "fits" when their score is at least this share of the best one
FIT_SHARE = 0.5


def handoff_url(settings: Settings, handoff_id: int) -> str:
    return settings.base_url + HANDOFF_PATH.format(handoff_id=handoff_id)


# --- "another person in your company who may be better suited" ---------------------------------


@dataclass(frozen=True)
class FirmCandidate(Candidate):
    """A ranked candidate, marked when they work in the member's own firm."""

    same_firm: bool = False


def own_firm_first(session: Session, member_colleague_id: int, ranked: list[Candidate],
                   limit: int) -> list[FirmCandidate]:
    """The ranking with fitting colleagues of the member's own firm moved to the front and marked.

    A post-scoring step: the scores stay as matching gave them. "Fitting" means a score of at
    least ``FIT_SHARE`` of the best one, so a weak match is not pushed above a strong one just
    for sharing a firm. Firms compare case-insensitively; a member without a firm changes nothing.
    """
    C = orm.colleagues
    firm_of = dict(session.execute(select(C.c.id, C.c.firm).where(
        C.c.id.in_([member_colleague_id, *(c.colleague_id for c in ranked)]))).all())
    mine = (firm_of.get(member_colleague_id) or "").strip().casefold()
    best = max((c.score for c in ranked), default=0.0)
    out = []
    for c in ranked:
        same = bool(mine) and (firm_of.get(c.colleague_id) or "").strip().casefold() == mine \
            and c.score >= FIT_SHARE * best
        explanation = (*c.explanation, "Works in your own firm") if same else c.explanation
        out.append(FirmCandidate(c.colleague_id, c.score, explanation, same_firm=same))
    out.sort(key=lambda c: not c.same_firm)  # stable: the ranking holds within each group
    return out[:limit]


# --- helpers -----------------------------------------------------------------------------------


def owned(session: Session, member_id: int, handoff_id: int) -> Handoff:
    """The member's handoff; another member's, or none, raises ``NotFound`` (the two look alike)."""
    handoff = session.get(Handoff, handoff_id)
    if handoff is None or handoff.member_id != member_id:
        raise NotFound(f"No handoff {handoff_id}.")
    return handoff


def _locked(session: Session, member_id: int, handoff_id: int) -> Handoff:
    handoff = session.get(Handoff, handoff_id, with_for_update=True)
    if handoff is None or handoff.member_id != member_id:
        raise NotFound(f"No handoff {handoff_id}.")
    return handoff


def member_colleague(session: Session, member_id: int) -> Colleague:
    return load_member(session, member_id).colleague


def accepted_colleague(session: Session, handoff: Handoff) -> Colleague | None:
    """The colleague who took the client (an accepted or completed offer), if any."""
    R = orm.referrals
    to_id = session.scalar(select(R.c.to_id).where(
        R.c.handoff_id == handoff.id, R.c.status.in_(("accepted", "completed"))))
    return None if to_id is None else session.get(Colleague, to_id)


def has_ended(session: Session, handoff: Handoff) -> bool:
    """Ended when the client is placed with a colleague or the member closed the handoff."""
    return handoff.closed_at is not None or accepted_colleague(session, handoff) is not None


def draft_letter(session: Session, handoff: Handoff, colleague: Colleague | None = None) -> Letter | None:
    """The letter to the client as it stands, or None while it still needs a colleague who accepted.

    ``colleague`` defaults to the one who accepted; an exit that needs no colleague (bow out)
    has a letter without an introduction until someone accepts.
    """
    colleague = colleague or accepted_colleague(session, handoff)
    if colleague is None and handoff.needs_colleague:
        return None
    me = member_colleague(session, handoff.member_id)
    return client_letter(
        handoff.exit_strategy,
        client_name=handoff.client_name,
        member=ContactCard(me.name, me.email, location=me.location),
        colleague=None if colleague is None else ContactCard(colleague.name, colleague.email),
        finish_by=handoff.finish_by,
    )


def _pending_reviews(session: Session, handoff_id: int) -> list[Review]:
    V = orm.reviews
    return list(session.scalars(select(Review).where(V.c.handoff_id == handoff_id,
                                                     V.c.status == "requested").order_by(V.c.id)))


def check_letter_may_go(session: Session, handoff: Handoff, go_ahead: bool) -> None:
    """``Conflict`` while a second read is unanswered, unless the member chose to go ahead."""
    waiting = _pending_reviews(session, handoff.id)
    if waiting and not go_ahead:
        who = ", ".join(r.reviewer_name or r.reviewer_email for r in waiting)
        raise Conflict(f"The letter waits for the second read you asked {who} for. "
                       "Wait for the answer, or choose to go ahead without it.")


# --- the member's verbs ------------------------------------------------------------------------


def fix_term(uow: UnitOfWork, *, member_id: int, handoff_id: int, index: int, now: datetime,
             note: str = "") -> None:
    """Record in one step that the member put contract term ``index`` right."""
    with uow:
        _locked(uow.session, member_id, handoff_id).fix_term(index, now, note)
        uow.commit()


def send_letter(uow: UnitOfWork, settings: Settings, *, member_id: int, handoff_id: int, subject: str, body: str,
                go_ahead: bool, now: datetime) -> None:
    """Queue the member's (possibly edited) letter to the client, once.

    ``Conflict`` when it was sent already, a colleague must accept first, or a second read is
    still unanswered and ``go_ahead`` is false; ``Invalid`` for an empty letter.
    """
    body = (body or "").replace("\r\n", "\n").strip()
    if not body:
        raise Invalid({"body": ["The letter is empty."]})
    with uow:
        s = uow.session
        handoff = _locked(s, member_id, handoff_id)
        draft = draft_letter(s, handoff)
        if draft is None:
            raise Conflict("The letter introduces the colleague who takes over: it can go once someone accepted.")
        check_letter_may_go(s, handoff, go_ahead)
        handoff.record_letter_sent("service", now)
        mail = mailbox.letter_to_client(letter=Letter(subject.strip() or draft.subject, body + "\n"),
                                        client_email=handoff.client_email)
        outbox_table.queue(s, mail, mail_from=settings.mail_from, now=now, member_id=member_id, referral_id=None,
                           handoff_id=handoff.id)
        uow.commit()


def mark_letter_sent(uow: UnitOfWork, *, member_id: int, handoff_id: int, now: datetime) -> None:
    """The member sent the letter themself (their own mail, by hand): the call reminder follows it."""
    with uow:
        _locked(uow.session, member_id, handoff_id).record_letter_sent("marked", now)
        uow.commit()


def note_client_replied(uow: UnitOfWork, *, member_id: int, handoff_id: int, now: datetime) -> None:
    """The client answered the letter: no reminder to call."""
    with uow:
        _locked(uow.session, member_id, handoff_id).record_client_replied(now)
        uow.commit()


def close(uow: UnitOfWork, *, member_id: int, handoff_id: int, now: datetime) -> None:
    """End the handoff without (or after) a placement; the retrospective opens."""
    with uow:
        _locked(uow.session, member_id, handoff_id).close(now)
        uow.commit()


# --- what the member sees ----------------------------------------------------------------------


def care_view(uow: UnitOfWork, member_id: int, handoff_id: int, now: datetime) -> dict:
    """What the handoff page and ``GET /api/handoffs/<id>`` show of these practices.

    ``NotFound`` for another member's handoff.
    """
    with uow.reading():
        s = uow.session
        h = owned(s, member_id, handoff_id)
        reviews = [{"id": r.id, "reviewer_email": r.reviewer_email, "reviewer_name": r.reviewer_name,
                    "note": r.note, "status": r.status, "comment": r.comment, "requested_at": r.requested_at,
                    "answered_at": r.answered_at}
                   for r in s.scalars(select(Review).where(orm.reviews.c.handoff_id == h.id)
                                      .order_by(orm.reviews.c.id))]
        colleague = accepted_colleague(s, h)
        draft = draft_letter(s, h, colleague)
        call_due = None
        if h.letter_sent_at is not None and h.client_replied_at is None:
            call_due = h.letter_sent_at + CALL_AFTER
        return {
            "desired_outcomes": list(h.desired_outcomes or []),
            "outcome_note": h.outcome_note or "",
            "contract_terms": [t.as_json() for t in h.terms],
            "contract_gaps": [dict(t.as_json(), index=i) for i, t in h.contract_gaps()],
            "reviews": reviews,
            "letter": {
                "subject": draft.subject if draft else None,
                "body": draft.body if draft else None,
                "needs_colleague": h.needs_colleague,
                "colleague_name": colleague.name if colleague else None,
                "sent_at": h.letter_sent_at,
                "sent_via": h.letter_sent_via,
                "waiting_for_review": any(r["status"] == "requested" for r in reviews),
                "client_replied_at": h.client_replied_at,
                "call_due_at": call_due,
            },
            "runway_days": h.runway_days(now.date()),
            "closed_at": h.closed_at,
            "ended": h.closed_at is not None or colleague is not None,
            "retrospective": h.retrospective,
        }


def erase_reviews(session: Session, handoff_id: int) -> None:
    """Blank the second reads' notes and comments (they may speak of the client), with the client's data."""
    session.execute(update(orm.reviews).where(orm.reviews.c.handoff_id == handoff_id)
                    .values(note=Handoff.ERASED, comment=case((orm.reviews.c.comment.is_(None), None),
                                                              else_=Handoff.ERASED)))


# --- the worker's round ------------------------------------------------------------------------


def send_timeline_reminders(uow: UnitOfWork, settings: Settings, *, now: datetime) -> int:
    """Queue due reminders (call the client; finish by) once each; returns how many were queued.

    Closed handoffs get no reminders. Each handoff is its own transaction under its row lock,
    so two workers never remind twice.
    """
    H = orm.handoffs
    horizon = now.date() + timedelta(days=7)
    with uow.reading():
        ids = uow.session.scalars(select(H.c.id).where(H.c.closed_at.is_(None), or_(
            (H.c.letter_sent_at <= now - CALL_AFTER) & H.c.client_replied_at.is_(None)
            & H.c.call_reminded_at.is_(None),
            (H.c.finish_by <= horizon) & (H.c.finish_by >= now.date()) & (
                H.c.finish_reminded.is_(None) | (H.c.finish_reminded > 1)),
        )).order_by(H.c.id)).all()
    done = 0
    for handoff_id in ids:
        with uow:
            s = uow.session
            h = s.get(Handoff, handoff_id, with_for_update=True)
            if h is None or h.closed_at is not None:
                continue
            me = member_colleague(s, h.member_id)
            url = handoff_url(settings, h.id)
            mails = []
            if (h.letter_sent_at is not None and h.letter_sent_at <= now - CALL_AFTER
                    and h.client_replied_at is None and h.call_reminded_at is None):
                h.call_reminded_at = now
                mails.append(care_mail.call_reminder(
                    member_email=me.email, member_name=me.name, client_name=h.client_name,
                    client_phone=h.client_phone, letter_sent_on=h.letter_sent_at.date(), page_url=url))
            days = finish_reminder_due(h.finish_by, now.date(), h.finish_reminded)
            left = h.runway_days(now.date())
            if days is not None and h.finish_by is not None and left is not None:  # due only with a date
                h.finish_reminded = days
                mails.append(care_mail.finish_reminder(
                    member_email=me.email, member_name=me.name, client_name=h.client_name,
                    finish_by=h.finish_by, days_left=left, page_url=url))
            for mail in mails:
                outbox_table.queue(s, mail, mail_from=settings.mail_from, now=now, member_id=h.member_id,
                                   referral_id=None, handoff_id=h.id)
            uow.commit()
            done += len(mails)
    return done
