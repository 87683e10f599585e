"""Use case: import colleagues from CSV rows, upserting by email in batches.

Each batch is one transaction: one ``SELECT`` of the batch's emails (to count what is new,
changed or the same), one ``INSERT ... ON CONFLICT (email) DO UPDATE`` sent as a single
executemany for the new and changed rows (SQLite and PostgreSQL alike), and one change-log
row naming every colleague the batch touched. 100,000 rows take seconds, not minutes
(``bench/import_bench.py``).

Text the database cannot store (PostgreSQL refuses NUL) is refused per row by the schema
before the batch is written (``referral/domain/clean.py``), so one such row never costs the
others of its batch.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite

from referral.adapters import orm
from referral.adapters.uow import UnitOfWork
from referral.domain.model import Colleague, Member
from referral.services.vectors import store_vectors

__all__ = ["ImportReport", "import_colleagues"]

C = orm.colleagues
_COMPARED = Colleague.EDITABLE


@dataclass
class ImportReport:
    """What an import did: counts, and every rejected line with its reasons."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: list[tuple[int, str]] = field(default_factory=list)


def _stored(fields: dict, added_by_id: int | None, now: datetime) -> dict:
    """The row as the colleagues table stores it: the schema's values (every field, normalised)."""
    return {**fields, "added_by_id": added_by_id, "created_at": now, "updated_at": now}


def _upsert(session, rows: list[dict]) -> list[int]:
    """Insert new rows, update existing ones (by email), in one executemany; their ids."""
    dialect = postgresql if session.bind.dialect.name == "postgresql" else sqlite
    stmt = dialect.insert(C)
    # a row that exists keeps its creator and creation date
    stmt = stmt.on_conflict_do_update(
        index_elements=[C.c.email],
        set_={k: stmt.excluded[k] for k in (*_COMPARED, "updated_at") if k != "email"})
    session.execute(stmt, rows)  # no RETURNING: the driver's executemany, the fastest path
    return list(session.scalars(select(C.c.id).where(C.c.email.in_([r["email"] for r in rows]))))


def import_colleagues(uow: UnitOfWork, member_id: int | None, rows: Iterable[tuple[int, dict | str]],
                      now: datetime, progress: Callable[[int], object] = lambda n: None,
                      batch: int = 2000) -> ImportReport:
    """Upsert validated rows by email, in batches; rows given as a string are rejections.

    ``rows`` yields ``(line_number, fields)`` for good rows and ``(line_number, reason)``
    for rows the caller already found bad. Running the same file twice changes nothing.
    The report lists every rejected line; every other row is stored.
    """
    report = ImportReport()
    pending: list[tuple[int, dict]] = []
    with uow.reading():
        member = uow.session.get(Member, member_id) if member_id else None
        added_by = member.colleague_id if member else None

    def flush() -> None:
        with uow:
            s = uow.session
            emails = [f["email"] for _, f in pending]
            existing = {r.email: r for r in s.execute(select(C).where(C.c.email.in_(emails)))}
            writes: list[tuple[int, dict]] = []
            for line, row in pending:
                old = existing.get(row["email"])
                if old is None:
                    report.created += 1
                elif any(getattr(old, k) != row[k] for k in _COMPARED):
                    report.updated += 1
                else:
                    report.unchanged += 1
                    continue
                writes.append((line, row))
            if writes:
                uow.record_change("colleague", _upsert(s, [r for _, r in writes]))
                store_vectors(s, [r for _, r in writes])  # only phrases new to the network are embedded
            uow.commit()
        progress(len(pending))
        pending.clear()

    seen: dict[str, int] = {}
    for line, row in rows:
        reason = row if isinstance(row, str) else None
        if reason is None:
            assert isinstance(row, dict)
            email = row["email"].strip().lower()
            if email in seen:
                reason = f"email: {email} already appears on line {seen[email]}"
            else:
                seen[email] = line
                pending.append((line, _stored(row, added_by, now)))
                if len(pending) >= batch:
                    flush()
                continue
        report.rejected.append((line, reason))
        progress(1)
    if pending:
        flush()
    report.rejected.sort()
    return report

