"""The letter to the client that introduces the colleague who accepted: the draft, and sending it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from referral.adapters import orm
from referral.adapters.uow import UnitOfWork
from referral.config import Settings
from referral.domain.errors import Conflict, Invalid, NotFound
from referral.domain.letters import Letter
from referral.domain.model import Referral
from referral.services import care, mailbox
from referral.services.offers import handoff_of, load_colleague, lock_row, queue_mail
from referral.services.queries import member_colleague_id

__all__ = ["letter_for", "send_client_letter"]


def letter_for(session: Session, referral: Referral) -> Letter:
    """The draft letter to the client for the handoff's exit strategy, introducing this colleague."""
    letter = care.draft_letter(session, handoff_of(referral), load_colleague(session, referral.to_id))
    assert letter is not None  # a colleague is named, so there is always a letter
    return letter


def send_client_letter(
    uow: UnitOfWork,
    settings: Settings,
    *,
    member_id: int,
    referral_id: int,
    body: str,
    now: datetime,
    subject: str | None = None,
    go_ahead: bool = False,
) -> None:
    """Queue the (reviewed) letter to the client; once per handoff, else ``Conflict``.

    It waits (``Conflict``) while a second read is unanswered, unless ``go_ahead``.
    """
    body = (body or "").replace("\r\n", "\n").strip()
    if not body:
        raise Invalid({"body": ["The letter is empty."]})
    with uow:
        s = uow.session
        referral = lock_row(s, Referral, referral_id)
        if (
            referral is None
            or referral.handoff is None
            or referral.from_id != member_colleague_id(s, member_id)
        ):
            raise NotFound(f"You have no referral {referral_id}.")
        if referral.status not in ("accepted", "completed"):
            raise Conflict("The letter can go out once the colleague has accepted.")
        OB = orm.outbox
        if s.scalar(select(exists().where(OB.c.referral_id == referral_id, OB.c.kind == "client_letter"))):
            raise Conflict("The letter to the client was sent already.")
        care.check_letter_may_go(s, referral.handoff, go_ahead)
        referral.handoff.record_letter_sent("service", now)
        draft = letter_for(s, referral)
        mail = mailbox.letter_to_client(
            letter=Letter(subject or draft.subject, body + "\n"), client_email=referral.handoff.client_email
        )
        queue_mail(s, settings, mail, now, member_id, referral_id)
        uow.commit()
