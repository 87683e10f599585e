"""The unit of work: one transaction per use case, committed only by the service."""

from __future__ import annotations

from datetime import datetime
from typing import Self

from sqlalchemy import insert
from sqlalchemy.orm import Session, sessionmaker

from referral.adapters import orm


class UnitOfWork:
    """``with uow:`` opens a session; ``uow.commit()`` commits; leaving without it rolls back."""

    def __init__(self, session_factory: sessionmaker[Session]):
        self.session_factory = session_factory
        self.session: Session | None = None
        self.read_only = False

    def reading(self) -> Self:
        """Make the next ``with`` block a read-only transaction.

        On SQLite it takes no write lock (a plain ``BEGIN``), so readers never queue
        behind writers; writing blocks start with ``BEGIN IMMEDIATE`` (see ``db.py``).
        """
        self.read_only = True
        return self

    def __enter__(self) -> Self:
        self.session = self.session_factory()
        if self.read_only:
            self.session.connection(execution_options={"read_only": True})
        return self

    def __exit__(self, *exc) -> None:
        assert self.session is not None
        self.session.rollback()
        self.session.close()
        self.session = None
        self.read_only = False

    def commit(self) -> None:
        assert self.session is not None
        if self.read_only:
            raise RuntimeError("a reading() unit of work cannot commit")
        self.session.commit()

    def record_change(self, topic: str, ref_id: int, now: datetime) -> None:
        """Note that a colleague or connection changed, in this same transaction.

        Every process keeps its matching index and graph current by reading these rows.
        """
        assert self.session is not None
        self.session.execute(insert(orm.changes).values(topic=topic, ref_id=ref_id, at=now))
