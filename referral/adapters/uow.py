"""The unit of work: one transaction per use case, committed only by the service.

It also keeps the change log (the ``changes`` table that every process follows to keep its
matching index and graph current, see ``referral/services/sync.py``): whatever the session
adds, modifies or deletes among colleagues, connections and referrals is noted before each
flush and written as one row per topic when the service commits. No use case writes that log by hand,
so none can forget it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from typing import Self

from sqlalchemy import event, insert
from sqlalchemy.orm import Session, sessionmaker

from referral.adapters import orm
from referral.domain.model import Colleague, Connection, Referral


def utcnow() -> datetime:
    """Naive UTC, as stored in the database."""
    return datetime.now(UTC).replace(tzinfo=None)


class UnitOfWork:
    """``with uow:`` opens a session; ``uow.commit()`` commits; leaving without it rolls back."""

    def __init__(self, session_factory: sessionmaker[Session], clock: Callable[[], datetime] = utcnow):
        self.session_factory = session_factory
        self.clock = clock
        self._session: Session | None = None
        self.read_only = False
        self._changed: dict[str, set[int]] = {}
        self._added: list[Colleague | Referral] = []  # their ids exist only after the flush

    @property
    def session(self) -> Session:
        """The open session of the current ``with uow:`` block; outside one, ``RuntimeError``."""
        if self._session is None:
            raise RuntimeError("the unit of work has no session outside its `with` block")
        return self._session

    def reading(self) -> Self:
        """Make the next ``with`` block a read-only transaction.

        On SQLite it takes no write lock (a plain ``BEGIN``), so readers never queue
        behind writers; writing blocks start with ``BEGIN IMMEDIATE`` (see ``db.py``).
        """
        self.read_only = True
        return self

    def __enter__(self) -> Self:
        session = self._session = self.session_factory()
        self._changed = {"colleague": set(), "connection": set(), "referral": set()}
        self._added = []
        if self.read_only:
            session.connection(execution_options={"read_only": True})
        else:
            event.listen(session, "before_flush", self._note_changes)
        return self

    def __exit__(self, *exc) -> None:
        self.session.rollback()
        self.session.close()
        self._session = None
        self.read_only = False

    def commit(self) -> None:
        """Commit the use case's writes together with the change-log rows they call for."""
        if self.read_only:
            raise RuntimeError("a reading() unit of work cannot commit")
        self.session.flush()
        self._write_changes()
        self.session.commit()

    def record_change(self, topic: str, ids: Iterable[int]) -> None:
        """Note colleagues changed behind the ORM's back (bulk statements); written at commit.

        ``topic`` is ``"colleague"`` (profiles), ``"connection"`` (the colleagues whose
        acquaintances changed) or ``"referral"``. Changes made through the session are noted
        without this.
        """
        self._changed[topic].update(ids)

    def _note_changes(self, session: Session, _context, _instances) -> None:
        for obj in session.new:
            if isinstance(obj, (Colleague, Referral)):
                self._added.append(obj)
            elif isinstance(obj, Connection):
                self._changed["connection"].update((obj.a_id, obj.b_id))
        for obj in session.dirty:
            if session.is_modified(obj):
                self._note_existing(obj)
        for obj in session.deleted:
            self._note_existing(obj)

    def _note_existing(self, obj) -> None:
        if isinstance(obj, Colleague):
            self._changed["colleague"].add(obj.id)
        elif isinstance(obj, Connection):
            self._changed["connection"].update((obj.a_id, obj.b_id))
        elif isinstance(obj, Referral):
            self._changed["referral"].add(obj.id)

    def _write_changes(self) -> None:
        for obj in self._added:
            if obj.id is not None:
                self._changed["referral" if isinstance(obj, Referral) else "colleague"].add(obj.id)
        self._added = []
        rows = [{"topic": topic, "ref_ids": sorted(ids), "at": self.clock()}
                for topic, ids in self._changed.items() if ids]
        if rows:
            self.session.execute(insert(orm.changes), rows)
        self._changed = {"colleague": set(), "connection": set(), "referral": set()}
