"""The transactional outbox: mail written with the change that caused it, sent later by a worker.

``queue`` adds a row inside the caller's transaction, so a message exists exactly when
the referral change it reports was committed. The worker ``claim``\\s due rows under a
lease (``claimed_until``): on PostgreSQL with ``SELECT ... FOR UPDATE SKIP LOCKED`` so
several workers take disjoint batches; on SQLite the database's single write lock
(``BEGIN IMMEDIATE``) serialises claims. Each try is recorded in ``outbox_attempts``;
a failed try moves ``due_at`` on with exponential backoff.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime, parseaddr

from sqlalchemy import CursorResult, Row, and_, insert, or_, select, update
from sqlalchemy.orm import Session

from referral.adapters import orm

__all__ = [
    "LEASE",
    "LEASE_MARGIN",
    "MAX_ATTEMPTS",
    "OutgoingMail",
    "as_email",
    "backoff",
    "claim",
    "header_safe",
    "mark_failed",
    "mark_logged",
    "mark_sent",
    "queue",
    "release",
]

OUTBOX = orm.outbox
MAX_ATTEMPTS = 12  # about three days of tries with the backoff below
LEASE = timedelta(minutes=5)
#: a worker starts no new message this close to the end of its lease: one send (connect, TLS,
#: DATA, each with a 30 s timeout) must finish before another worker may take the row
LEASE_MARGIN = timedelta(minutes=2)
LOGGED_NOTE = "SMTP_URL is not set: printed to the log and kept in the outbox"


@dataclass(frozen=True)
class OutgoingMail:
    """One message as composed by the services (plain text and HTML of the same content)."""

    kind: str
    to_addr: str
    subject: str
    text: str
    html: str
    #: set for mail to a colleague who is not a member: the RFC 8058 one-click unsubscribe address
    unsubscribe_url: str | None = None


def _message_id(mail_from: str) -> str:
    domain = parseaddr(mail_from)[1].rpartition("@")[2] or "referral.local"
    return f"<{uuid.uuid4().hex}@{domain}>"


def queue(
    session: Session,
    mail: OutgoingMail,
    *,
    mail_from: str,
    now: datetime,
    member_id: int | None,
    referral_id: int | None,
    due_at: datetime | None = None,
    handoff_id: int | None = None,
) -> int:
    """Add a message to the outbox in the caller's transaction; returns its row id.

    ``handoff_id`` ties mail about a handoff that concerns no offer to it (erased with its client).
    """
    return session.execute(
        insert(OUTBOX)
        .values(
            member_id=member_id,
            referral_id=referral_id,
            handoff_id=handoff_id,
            kind=mail.kind,
            to_addr=mail.to_addr,
            subject=mail.subject[:300],
            text_body=mail.text,
            html_body=mail.html,
            unsubscribe_url=mail.unsubscribe_url,
            message_id=_message_id(mail_from),
            created_at=now,
            due_at=due_at or now,
            attempts=0,
        )
        .returning(OUTBOX.c.id)
    ).scalar_one()


def _due(now: datetime):
    return and_(
        OUTBOX.c.sent_at.is_(None),
        OUTBOX.c.failed_at.is_(None),
        OUTBOX.c.due_at <= now,
        OUTBOX.c.attempts < MAX_ATTEMPTS,
        or_(OUTBOX.c.claimed_until.is_(None), OUTBOX.c.claimed_until < now),
    )


def claim(session: Session, now: datetime, limit: int = 50, only_new: bool = False) -> Sequence[Row]:
    """Lease up to ``limit`` due rows to this worker and return them; the caller commits.

    ``only_new`` takes only rows never tried (used when mail is only printed to the log).
    """
    where = _due(now)
    if only_new:
        where = and_(where, OUTBOX.c.attempts == 0)
    ids = session.scalars(
        select(OUTBOX.c.id)
        .where(where)
        .order_by(OUTBOX.c.due_at, OUTBOX.c.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    ).all()
    if not ids:
        return []
    session.execute(update(OUTBOX).where(OUTBOX.c.id.in_(ids)).values(claimed_until=now + LEASE))  # see release()
    M, C = orm.members, orm.colleagues
    # mail sent on a member's behalf to someone else gets Reply-To: the member
    return session.execute(
        select(OUTBOX, C.c.email.label("member_email"))
        .select_from(
            OUTBOX.outerjoin(M, M.c.id == OUTBOX.c.member_id).outerjoin(C, C.c.id == M.c.colleague_id)
        )
        .where(OUTBOX.c.id.in_(ids))
        .order_by(OUTBOX.c.due_at, OUTBOX.c.id)
    ).all()


def release(session: Session, outbox_ids: list[int], leased_until: datetime) -> int:
    """Give back claimed rows not sent, so the next round takes them at once; returns how many.

    Only rows still under this worker's lease (``claimed_until == leased_until``) are touched.
    """
    if not outbox_ids:
        return 0
    result = session.execute(
        update(OUTBOX)
        .where(OUTBOX.c.id.in_(outbox_ids), OUTBOX.c.claimed_until == leased_until, OUTBOX.c.sent_at.is_(None))
        .values(claimed_until=None)
    )
    assert isinstance(result, CursorResult)  # a Core UPDATE always answers with a cursor result
    return result.rowcount


def backoff(attempts: int) -> timedelta:
    """Wait before the next try after ``attempts`` failures: 1, 2, 4 ... minutes, at most 6 hours."""
    return min(timedelta(minutes=2 ** max(attempts - 1, 0)), timedelta(hours=6))


def mark_sent(session: Session, outbox_id: int, now: datetime) -> None:
    session.execute(
        update(OUTBOX)
        .where(OUTBOX.c.id == outbox_id)
        .values(sent_at=now, attempts=OUTBOX.c.attempts + 1, last_error=None, claimed_until=None)
    )
    session.execute(insert(orm.outbox_attempts).values(outbox_id=outbox_id, at=now, error=None))


def mark_failed(session: Session, outbox_id: int, attempts_before: int, error: str, now: datetime,
                final: bool = False) -> None:
    """Count a failed try; the row is due again after :func:`backoff`, or never when ``final``
    (the message itself cannot be built or sent)."""
    tries = attempts_before + 1
    session.execute(
        update(OUTBOX)
        .where(OUTBOX.c.id == outbox_id)
        .values(attempts=tries, last_error=error[:2000], claimed_until=None, due_at=now + backoff(tries),
                failed_at=now if final else None)
    )
    session.execute(insert(orm.outbox_attempts).values(outbox_id=outbox_id, at=now, error=error[:2000]))


def mark_logged(session: Session, outbox_id: int, now: datetime) -> None:
    """Printed to the log for want of SMTP: count the try but keep the row due, so SMTP sends it later."""
    session.execute(
        update(OUTBOX)
        .where(OUTBOX.c.id == outbox_id)
        .values(attempts=OUTBOX.c.attempts + 1, last_error=LOGGED_NOTE, claimed_until=None)
    )
    session.execute(insert(orm.outbox_attempts).values(outbox_id=outbox_id, at=now, error=LOGGED_NOTE))


_UNSAFE_IN_HEADER = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]+")


def header_safe(value: str) -> str:
    """``value`` on one line: every run of control characters (a line break in an old name) becomes
    one space, so a header can never be split or refused by the ``email`` package."""
    return _UNSAFE_IN_HEADER.sub(" ", value or "").strip()


def as_email(row, mail_from: str) -> EmailMessage:
    """An outbox row (from :func:`claim`) as a MIME message: plain text, then HTML as the alternative.

    Every header value goes through :func:`header_safe`: text stored before input was cleaned
    (a name with a line break) still makes a valid message.
    """
    to_addr = header_safe(row.to_addr)
    reply_to = header_safe(getattr(row, "member_email", None) or "")
    msg = EmailMessage()
    msg["From"] = header_safe(mail_from)
    msg["To"] = to_addr
    if reply_to and reply_to != to_addr.lower():
        msg["Reply-To"] = reply_to
    msg["Subject"] = header_safe(row.subject)
    msg["Message-ID"] = header_safe(row.message_id)
    msg["Date"] = format_datetime(row.created_at.replace(tzinfo=UTC))
    if getattr(row, "unsubscribe_url", None):
        msg["List-Unsubscribe"] = f"<{row.unsubscribe_url}>"
        msg["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    msg.set_content(row.text_body)
    msg.add_alternative(row.html_body, subtype="html")
    return msg
