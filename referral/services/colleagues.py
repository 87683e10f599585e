"""Use cases of the colleague directory: add, edit, pause, delete, connect, import.

Values arrive already validated for shape (the web layer's schemas); the rules
that need the database (an email unique in the network, who may edit whom) live here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, select

from referral.adapters.uow import UnitOfWork
from referral.domain.errors import Conflict, Invalid, NotFound
from referral.domain.model import Colleague, Connection, Member
from referral.services.vectors import store_vectors


def _email_taken(uow: UnitOfWork, email: str, except_id: int | None = None) -> bool:
    q = select(Colleague.id).where(Colleague.email == email.strip().lower())
    if except_id is not None:
        q = q.where(Colleague.id != except_id)
    return uow.session.scalar(q) is not None


def _editable(uow: UnitOfWork, member_id: int, colleague_id: int) -> Colleague:
    """The colleague if this member may change it (they added it, or it is them), else NotFound."""
    member = uow.session.get(Member, member_id)
    colleague = uow.session.get(Colleague, colleague_id)
    if member is None or colleague is None or member.colleague_id not in (colleague.added_by_id, colleague.id):
        raise NotFound(f"no colleague {colleague_id} that you manage")
    return colleague


def add_colleague(uow: UnitOfWork, member_id: int, fields: dict, now: datetime) -> int:
    """Add a colleague to the network and return its id; a taken email raises ``Invalid``."""
    with uow:
        if _email_taken(uow, fields["email"]):
            raise Invalid({"email": ["A colleague with this email is already in the network."]})
        member = uow.session.get(Member, member_id)
        colleague = Colleague(**fields, added_by_id=member.colleague_id if member else None, now=now)
        uow.session.add(colleague)
        uow.session.flush()
        store_vectors(uow.session, [colleague])
        uow.record_change("colleague", colleague.id, now)
        uow.commit()
        return colleague.id


def edit_colleague(uow: UnitOfWork, member_id: int, colleague_id: int, fields: dict, now: datetime) -> None:
    """Change some fields (pausing is ``paused_until``); unknown or foreign colleague: ``NotFound``."""
    with uow:
        colleague = _editable(uow, member_id, colleague_id)
        if "email" in fields and _email_taken(uow, fields["email"], except_id=colleague_id):
            raise Invalid({"email": ["A colleague with this email is already in the network."]})
        if colleague.update(now, **fields):
            store_vectors(uow.session, [colleague])
            uow.record_change("colleague", colleague_id, now)
        uow.commit()


def delete_colleague(uow: UnitOfWork, member_id: int, colleague_id: int, now: datetime) -> None:
    """Remove a colleague the member manages; a member's own record cannot be deleted."""
    with uow:
        colleague = _editable(uow, member_id, colleague_id)
        if uow.session.scalar(select(Member.id).where(Member.colleague_id == colleague_id)):
            raise Conflict("a member's own record cannot be deleted")
        uow.session.delete(colleague)
        uow.record_change("colleague", colleague_id, now)
        uow.commit()


def connect(uow: UnitOfWork, member_id: int, colleague_id: int, now: datetime) -> bool:
    """Record that the member knows the colleague; True if new, False if already known."""
    with uow:
        member = uow.session.get(Member, member_id)
        if uow.session.get(Colleague, colleague_id) is None:
            raise NotFound(f"no colleague {colleague_id}")
        if colleague_id == member.colleague_id:
            raise Invalid({"colleague_id": ["You cannot connect to yourself."]})
        a, b = sorted((member.colleague_id, colleague_id))
        known = uow.session.scalar(select(Connection.id).where(Connection.a_id == a, Connection.b_id == b))
        if known:
            return False
        uow.session.add(Connection(a, b, now))
        uow.record_change("connection", colleague_id, now)
        uow.commit()
        return True


@dataclass
class ImportReport:
    """What an import did: counts, and every rejected line with its reasons."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: list[tuple[int, str]] = field(default_factory=list)


def import_colleagues(uow: UnitOfWork, member_id: int, rows: Iterable[tuple[int, dict | str]],
                      now: datetime, progress: Callable[[int], None] = lambda n: None,
                      batch: int = 500) -> ImportReport:
    """Upsert validated rows by email, in batches; rows given as a string are rejections.

    ``rows`` yields ``(line_number, fields)`` for good rows and ``(line_number, reason)``
    for rows the caller already found bad. Running the same file twice changes nothing.
    """
    report = ImportReport()
    pending: list[tuple[int, dict]] = []

    def flush() -> None:
        with uow:
            s = uow.session
            member = s.get(Member, member_id) if member_id else None
            emails = [f["email"].strip().lower() for _, f in pending]
            existing = {c.email: c for c in s.scalars(select(Colleague).where(Colleague.email.in_(emails)))}
            for _, fields in pending:
                email = fields["email"].strip().lower()
                colleague = existing.get(email)
                if colleague is None:
                    colleague = Colleague(**fields, added_by_id=member.colleague_id if member else None, now=now)
                    s.add(colleague)
                    s.flush()
                    existing[email] = colleague
                    report.created += 1
                elif colleague.update(now, **fields):
                    report.updated += 1
                else:
                    report.unchanged += 1
                    continue
                uow.record_change("colleague", colleague.id, now)
            store_vectors(s, existing.values())
            uow.commit()
        progress(len(pending))
        pending.clear()

    seen: dict[str, int] = {}
    for line, row in rows:
        if isinstance(row, str):
            report.rejected.append((line, row))
            progress(1)
            continue
        email = row["email"].strip().lower()
        if email in seen:
            report.rejected.append((line, f"email: {email} already appears on line {seen[email]}"))
            progress(1)
            continue
        seen[email] = line
        pending.append((line, row))
        if len(pending) >= batch:
            flush()
    if pending:
        flush()
    return report


def count(uow: UnitOfWork) -> int:
    with uow.reading():
        return uow.session.scalar(select(func.count()).select_from(Colleague))
