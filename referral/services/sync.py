"""Keep per-process state (matching index, network graph) current across processes.

Each process holds one :class:`LiveState`: one position in the change log, one lock, and
the followers it feeds (the network graph, the matching index). Loading it in full is what
a worker does once, before it takes traffic (``gunicorn.conf.py``); requests only apply
what changed since.

Every transaction that changes colleagues or connections appends a row per topic to the
``changes`` table, naming the colleagues it touched; the unit of work writes them at
commit (``referral/adapters/uow.py``), an import one row per batch. Each process remembers which
rows it has applied and, before answering, reads only the rows after its low-water
mark: one indexed query, usually empty. So a colleague edited through one gunicorn
worker (or machine) is seen by the very next request to any other.

Rows can become visible out of id order on PostgreSQL (a transaction that took id 10
may commit after the one that took id 11), so ids above the mark are remembered
individually, and the mark only passes a row once it is ``settle`` seconds old: by then
any transaction holding a lower id has committed or rolled back.

The log is pruned (:func:`prune`, run by the mail worker): a process whose mark lies before
the oldest row left cannot know what it missed, so it simply loads everything afresh.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Protocol

from sqlalchemy import delete, func, select

from referral.adapters import orm

__all__ = ["ChangeFeed", "Changes", "Follower", "LiveState", "prune"]

log = logging.getLogger(__name__)


@dataclass
class Changes:
    """What changed since the last poll; ``full`` means: load everything afresh."""

    full: bool = False
    colleagues: set[int] = field(default_factory=set)
    connections: set[int] = field(default_factory=set)  # colleague ids whose edges changed
    referrals: set[int] = field(default_factory=set)

    def __bool__(self) -> bool:
        return self.full or bool(self.colleagues or self.connections or self.referrals)


class ChangeFeed:
    """One process's position in the ``changes`` log."""

    def __init__(self, settle: timedelta = timedelta(seconds=30)):
        self.settle = settle
        self.mark: int | None = None  # every row with id <= mark has been applied
        self.applied: set[int] = set()  # rows above the mark already applied

    def poll(self, session, now: datetime) -> Changes:
        """The changes this process has not applied yet (the first poll asks for a full load)."""
        C = orm.changes
        if self.mark is None:
            self.mark = session.scalar(select(C.c.id).order_by(C.c.id.desc()).limit(1)) or 0
            self.applied.clear()
            return Changes(full=True)
        oldest = session.scalar(select(func.min(C.c.id)))
        if oldest is not None and oldest > self.mark + 1:
            # rows this process never saw were pruned: start again from a full load
            self.mark = None
            return self.poll(session, now)
        rows = session.execute(select(C.c.id, C.c.topic, C.c.ref_id, C.c.ref_ids, C.c.at)
                               .where(C.c.id > self.mark).order_by(C.c.id)).all()
        out = Changes()
        settled = now - self.settle
        for row in rows:
            if row.id not in self.applied:
                self.applied.add(row.id)
                ids = row.ref_ids if row.ref_ids is not None else [row.ref_id]
                getattr(out, row.topic + "s").update(ids)
        # advance the mark over the settled prefix so the next query stays small
        for row in rows:
            if row.at > settled:
                break
            self.mark = row.id
        self.applied = {i for i in self.applied if i > self.mark}
        return out


class Follower(Protocol):
    """Something a :class:`LiveState` keeps current: it applies each batch of changes."""

    def apply(self, session, changes: Changes) -> None:
        """Apply ``changes`` read from ``session`` (``changes.full``: load everything afresh)."""


class LiveState:
    """One process's view of the network: one change feed and one lock for all its followers.

    ``full_loads`` counts loads from scratch; each is logged with the process id and the
    time it took, so a log shows whether any happened while answering a request.
    """

    def __init__(self, feed: ChangeFeed | None = None):
        self.feed = feed or ChangeFeed()
        self.followers: list[Follower] = []
        self.lock = threading.RLock()  # followers are not thread-safe: read and patch under it
        self.full_loads = 0

    def follow(self, follower: Follower) -> None:
        self.followers.append(follower)

    def refresh(self, session, now: datetime) -> None:
        """Apply what changed in the database since the last call (everything, the first time)."""
        with self.lock:
            changes = self.feed.poll(session, now)
            if not changes:
                return
            started = time.perf_counter()
            for follower in self.followers:
                follower.apply(session, changes)
            if changes.full:
                self.full_loads += 1
                log.info("network state loaded in full in %.2f s (process %d, load %d)",
                         time.perf_counter() - started, os.getpid(), self.full_loads)


def prune(uow, now: datetime, keep: timedelta = timedelta(days=1)) -> int:
    """Delete change rows older than ``keep``; returns how many. Processes left behind reload."""
    with uow:
        done = uow.session.execute(delete(orm.changes).where(orm.changes.c.at < now - keep)).rowcount
        uow.commit()
    return done
