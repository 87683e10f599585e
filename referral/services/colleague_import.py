"""Use case: import colleagues from CSV rows, upserting by email in batches.

Each batch is one transaction: one ``SELECT`` of the batch's emails (to count what is new,
changed or the same, and to apply the ownership model), one ``INSERT ... ON CONFLICT (email)
DO UPDATE`` for the new and changed rows, and one change-log row naming every colleague the
batch touched. On SQLite the insert is one executemany; on PostgreSQL the rows are streamed
with ``COPY`` into a temporary table and upserted from it by one statement (measured on 20,000
rows: half the time of psycopg's executemany of the same upsert, a third of its CPU here). The
emails are looked up with one parameter (an array, or a JSON list on SQLite) rather than
thousands to render. Phrases new to the network are embedded once per import (``store_vectors``
with a set shared by the batches). 100,000 rows take seconds (``bench/import_bench.py``).

Ownership (README "Who owns a colleague record", ``referral/domain/ownership.py``): an import
acts for one member, or for none (the operator). A row that would change a record it does not
manage (a member's own record, or one another member added), lower a capacity below the
colleague's open offers, or touch a removed colleague is reported on its line and left out;
the rest of the batch is stored. A row equal to what is stored changes nothing and is counted
unchanged, whoever manages it. On PostgreSQL a colleague can be added through the API between a
batch's look-up and its write (the look-up locks only the rows that exist): the upsert updates
only rows it looked up, so that record stays as the member typed it and the line is reported.

Text the database cannot store (PostgreSQL refuses NUL) is refused per row by the schema
before the batch is written (``referral/domain/clean.py``), so one such row never costs the
others of its batch.
"""

from __future__ import annotations

import json
import operator
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import Integer, any_, bindparam, column, func, select, table
from sqlalchemy.dialects import postgresql, sqlite

from referral.adapters import orm
from referral.adapters.uow import UnitOfWork
from referral.domain.lifecycle import OPEN_STATUSES
from referral.domain.model import Colleague, Member
from referral.domain.ownership import import_manages, refused_changes
from referral.services.vectors import store_vectors

__all__ = ["ImportReport", "import_colleagues"]

C = orm.colleagues
_COMPARED = Colleague.EDITABLE
_WRITTEN = (*_COMPARED, "added_by_id", "created_at", "updated_at")
_JSON = {"specialties", "dealbreakers"}
_READ = (*(C.c[k] for k in _COMPARED), C.c.id, C.c.added_by_id, C.c.removed_at)  # what a batch needs of a stored row
_compared = operator.itemgetter(*_COMPARED)  # a row's compared values, in the order of _READ
ADDED_MEANWHILE = ("email: a colleague with this email was added to the network while the import ran, so the "
                   "import leaves their record as it is")
NOT_YOURS = ("a member manages this colleague's record (their own, or one they added), so the import "
             "leaves it as it is")


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


def _upsert_statement(dialect, known: list[int] | None, source=None):
    """Insert, or update the stored row of the same email; with ``known`` (PostgreSQL), only if
    it is one the batch looked up (locked since): a row someone else stored after the look-up is
    left as it is, since the ownership model was never checked against it."""
    stmt = dialect.insert(C)
    if source is not None:
        stmt = stmt.from_select(list(_WRITTEN), source)
    # a row that exists keeps its creator and creation date
    return stmt.on_conflict_do_update(
        index_elements=[C.c.email],
        set_={k: stmt.excluded[k] for k in (*_COMPARED, "updated_at") if k != "email"},
        where=None if known is None else C.c.id == any_(bindparam("known", known, type_=postgresql.ARRAY(Integer))))


def _with_email_in(session, emails: list[str]):
    """``email IN (...)`` with one parameter, not thousands to render and convert: an array on
    PostgreSQL, a JSON list read by ``json_each`` on SQLite."""
    if session.get_bind().dialect.name == "postgresql":
        return C.c.email == any_(bindparam("emails", emails, type_=postgresql.ARRAY(C.c.email.type)))
    return C.c.email.in_(select(column("value")).select_from(func.json_each(bindparam("emails", json.dumps(emails)))))


def _upsert(session, rows: list[dict], known: list[int]) -> dict[str, int]:
    """Insert new rows, update the existing ones in ``known`` (by email); the written rows' ids by email."""
    if session.get_bind().dialect.name == "postgresql":
        return _upsert_by_copy(session, rows, known)
    # SQLite: the batch's transaction has held the write lock since its look-up (BEGIN IMMEDIATE),
    # so nobody else stored a row in between
    conn = session.connection()
    compiled = _upsert_statement(sqlite, None).compile(dialect=conn.dialect, column_keys=list(_WRITTEN))
    # the driver's executemany, given values as the columns' types store them: SQLAlchemy's own
    # per-row parameter handling took longer than SQLite's work
    keys = list(compiled.positiontup or ())
    convert = {i: f for i, k in enumerate(keys) if (f := C.c[k].type.bind_processor(conn.dialect))}
    conn.exec_driver_sql(str(compiled), _values(rows, keys, convert))
    return {email: id_ for email, id_ in
            session.execute(select(C.c.email, C.c.id).where(_with_email_in(session, [r["email"] for r in rows])))}


def _values(rows: list[dict], keys, convert: dict[int, Callable]) -> list[tuple]:
    """Each row's values in the order of ``keys``, those at the positions in ``convert`` converted."""
    take = operator.itemgetter(*keys)
    out = []
    for r in rows:
        values = list(take(r))
        for i, f in convert.items():
            values[i] = f(values[i])
        out.append(tuple(values))
    return out


def _upsert_by_copy(session, rows: list[dict], known: list[int]) -> dict[str, int]:
    """PostgreSQL: ``COPY`` the rows into a temporary table (dropped at commit), upsert from it."""
    names = ", ".join(_WRITTEN)
    to_json = session.get_bind().dialect._json_serializer  # the engine's, so stored JSON reads the same
    cursor = session.connection().connection.driver_connection.cursor()  # psycopg 3, in this transaction
    with cursor:
        cursor.execute(f"CREATE TEMP TABLE import_batch ON COMMIT DROP AS SELECT {names} FROM colleagues WITH NO DATA")
        with cursor.copy(f"COPY import_batch ({names}) FROM STDIN") as copy:
            for values in _values(rows, _WRITTEN, {i: to_json for i, k in enumerate(_WRITTEN) if k in _JSON}):
                copy.write_row(values)
    staged = table("import_batch", *(column(k) for k in _WRITTEN))
    return {email: id_ for email, id_ in
            session.execute(_upsert_statement(postgresql, known, select(staged)).returning(C.c.email, C.c.id))}


def _refusal(old, row: dict, me: int | None, members: set[int], open_offers: dict[int, int]) -> str | None:
    """Why this row may not change the stored record ``old`` (the ownership model), or None."""
    if old.removed_at is not None:
        return (f"email: this colleague was removed from the network on {old.removed_at:%Y-%m-%d}; the import "
                "does not bring them back (adding them in the directory does)")
    if not import_manages(me, colleague_id=old.id, added_by_id=old.added_by_id, is_member=old.id in members):
        return f"email: {NOT_YOURS}"
    refused = refused_changes(row, email=old.email, capacity=old.capacity, open_referrals=open_offers.get(old.id, 0))
    return "; ".join(f"{k}: {' '.join(v)}" for k, v in refused.items()) or None


def import_colleagues(uow: UnitOfWork, member_id: int | None, rows: Iterable[tuple[int, dict | str]],
                      now: datetime, progress: Callable[[int], object] = lambda n: None,
                      batch: int = 5000) -> ImportReport:
    """Upsert validated rows by email, in batches; rows given as a string are rejections.

    ``rows`` yields ``(line_number, fields)`` for good rows and ``(line_number, reason)``
    for rows the caller already found bad. The import acts for the member ``member_id``
    (new colleagues are theirs to manage), or for no member when None. Running the same
    file twice changes nothing. The report lists every rejected line, with rows the
    ownership model keeps from changing a record (see the module's docstring); every other
    row is stored.
    """
    report = ImportReport()
    pending: list[tuple[int, dict]] = []
    embedded: set[str] = set()  # phrases stored or found stored by an earlier batch
    with uow.reading():
        member = uow.session.get(Member, member_id) if member_id else None
        me = member.colleague_id if member else None

    def flush() -> None:
        with uow:
            s = uow.session
            emails = [f["email"] for _, f in pending]
            existing = {r.email: r for r in s.execute(select(*_READ).where(_with_email_in(s, emails)).with_for_update())}
            changed = [(line, row, existing.get(row["email"])) for line, row in pending]
            changed = [(line, row, old) for line, row, old in changed
                       if old is None or old.removed_at is not None or old[:len(_COMPARED)] != _compared(row)]
            report.unchanged += len(pending) - len(changed)
            ids = [old.id for _, _, old in changed if old is not None]
            members, open_offers = _owners_and_offers(s, ids) if ids else (set(), {})
            writes: list[tuple[int, dict]] = []
            for line, row, old in changed:
                reason = _refusal(old, row, me, members, open_offers) if old is not None else None
                if reason:
                    report.rejected.append((line, reason))
                    continue
                report.created += old is None
                report.updated += old is not None
                writes.append((line, row))
            if writes:
                written = _upsert(s, [row for _, row in writes], ids)
                for line, row in writes:
                    if row["email"] not in written:  # added by someone else since the look-up
                        report.created -= 1
                        report.rejected.append((line, ADDED_MEANWHILE))
                uow.record_change("colleague", written.values())
                # only phrases new to the network are embedded
                store_vectors(s, [row for _, row in writes if row["email"] in written], known=embedded)
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
                pending.append((line, _stored(row, me, now)))
                if len(pending) >= batch:
                    flush()
                continue
        report.rejected.append((line, reason))
        progress(1)
    if pending:
        flush()
    report.rejected.sort()
    return report


def _owners_and_offers(session, ids: list[int]) -> tuple[set[int], dict[int, int]]:
    """Of these colleagues: those who are members (their record is their own), and each one's open offers."""
    R = orm.referrals
    members = set(session.scalars(select(orm.members.c.colleague_id).where(orm.members.c.colleague_id.in_(ids))))
    offers = session.execute(select(R.c.to_id, func.count()).where(R.c.to_id.in_(ids), R.c.status.in_(OPEN_STATUSES))
                             .group_by(R.c.to_id))
    return members, {to_id: n for to_id, n in offers}
