"""Use case: import colleagues from CSV rows, upserting by email in batches."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select

from referral.adapters.uow import UnitOfWork
from referral.domain.model import Colleague, Member

__all__ = ["ImportReport", "import_colleagues"]


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
