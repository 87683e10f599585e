"""A second read: a trusted colleague reads the fair warning and the letter before they go out.

The member asks by email (:func:`request_review`); the reviewer opens a signed link, no
login (:class:`~referral.adapters.links.ReviewLinkSigner`), sees what the member plans to
send as it stands, never the client's email or phone (:func:`review_page`), and approves or
suggests changes with a comment (:func:`answer_review`). The member is told by email and
sees the answer on the handoff's page.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

from referral.adapters import outbox as outbox_table
from referral.adapters.links import ReviewLinkSigner
from referral.adapters.uow import UnitOfWork
from referral.config import Settings
from referral.domain.errors import NotFound
from referral.domain.model import Handoff, Review
from referral.domain.vocab import REASONS
from referral.services import care, care_mail

__all__ = ["answer_review", "request_review", "review_page"]


def request_review(uow: UnitOfWork, settings: Settings, *, member_id: int, handoff_id: int, reviewer_email: str,
                   reviewer_name: str, note: str, now: datetime, review_url: Callable[[str], str]) -> dict:
    """Store the request and queue the mail with the signed link; answers the stored review.

    ``review_url`` turns a signed token into the page's address (the web layer knows where it is).
    Another member's handoff raises ``NotFound``.
    """
    with uow:
        s = uow.session
        handoff = care.owned(s, member_id, handoff_id)
        review = Review(handoff.id, reviewer_email, reviewer_name, note, now)
        s.add(review)
        s.flush()
        me = care.member_colleague(s, member_id)
        token = ReviewLinkSigner(settings.secret_key).make(review.id)
        mail = care_mail.review_request(reviewer_email=review.reviewer_email, reviewer_name=review.reviewer_name,
                                        member_name=me.name, note=review.note, url=review_url(token))
        outbox_table.queue(s, mail, mail_from=settings.mail_from, now=now, member_id=member_id, referral_id=None,
                           handoff_id=handoff.id)
        answer = {"id": review.id, "handoff_id": handoff.id, "reviewer_email": review.reviewer_email,
                  "reviewer_name": review.reviewer_name, "note": review.note, "status": review.status,
                  "comment": None, "requested_at": now, "answered_at": None}
        uow.commit()
        return answer


def _review(session, settings: Settings, token: str) -> tuple[Review, Handoff]:
    review = session.get(Review, ReviewLinkSigner(settings.secret_key).read(token))
    handoff = None if review is None else session.get(Handoff, review.handoff_id)
    if review is None or handoff is None:
        raise NotFound("This second read no longer exists.")
    return review, handoff


def review_page(uow: UnitOfWork, settings: Settings, token: str) -> dict:
    """What the reviewer reads: reasons, dated facts, the fair warning and the draft letter as they stand.

    Deliberately without the client's email, phone, company or budget. ``TamperedLink`` for a
    forged link, ``NotFound`` when the handoff was removed.
    """
    with uow.reading():
        s = uow.session
        review, h = _review(s, settings, token)
        me = care.member_colleague(s, h.member_id)
        draft = care.draft_letter(s, h)
        return {
            "review": {"id": review.id, "status": review.status, "comment": review.comment,
                       "answered_at": review.answered_at, "note": review.note,
                       "reviewer_name": review.reviewer_name},
            "member_name": me.name,
            "client_first_name": h.client_name.split()[0] if h.client_name.split() else "",
            "needs": h.client_needs,
            "reasons": [REASONS.get(r, r) for r in h.reasons],
            "facts": [{"date": date.fromisoformat(f["date"]), "text": f["text"]} for f in h.facts or []],
            "disclosure": h.disclosure.text,
            "letter": None if draft is None else {"subject": draft.subject, "body": draft.body},
            "letter_sent": h.letter_sent_at is not None,
        }


def answer_review(uow: UnitOfWork, settings: Settings, *, token: str, verdict: str, comment: str,
                  now: datetime) -> str:
    """Record ``approve`` or ``suggest_changes`` and tell the member; answers the new status.

    ``Conflict`` when answered already, ``Invalid`` for changes without a comment, ``TamperedLink``
    for a forged link.
    """
    with uow:
        s = uow.session
        review, h = _review(s, settings, token)
        s.refresh(review, with_for_update=True)  # one answer, even from two tabs at once
        review.answer(verdict, comment, now)
        me = care.member_colleague(s, h.member_id)
        mail = care_mail.review_answered(
            member_email=me.email, member_name=me.name, reviewer=review.reviewer_name or review.reviewer_email,
            status=review.status, comment=review.comment, client_name=h.client_name,
            page_url=care.handoff_url(settings, h.id))
        outbox_table.queue(s, mail, mail_from=settings.mail_from, now=now, member_id=h.member_id, referral_id=None,
                           handoff_id=h.id)
        uow.commit()
        return review.status
