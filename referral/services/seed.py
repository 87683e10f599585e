"""Load the demo network's connections and referral history (colleagues come via the CSV import)."""

from __future__ import annotations

import csv
from datetime import datetime
from pathlib import Path

from sqlalchemy import select

from referral.adapters import orm
from referral.adapters.uow import UnitOfWork
from referral.domain.ledger import COUNTED_STATUSES, Flow, link
from referral.domain.model import Connection, Referral


def _rows(path: Path):
    with path.open(newline="", encoding="utf-8") as f:
        yield from csv.DictReader(f)


def load_history(uow: UnitOfWork, folder: Path, now: datetime) -> tuple[int, int]:
    """Add ``connections.csv`` and ``referrals.csv``; returns (connections, referrals) added."""
    with uow:
        s = uow.session
        C = orm.colleagues
        ids: dict[str, int] = {email: cid for email, cid in s.execute(select(C.c.email, C.c.id))}
        pairs = set()
        for row in _rows(folder / "connections.csv"):
            a, b = sorted((ids[row["email_a"].lower()], ids[row["email_b"].lower()]))
            if (a, b) not in pairs:
                pairs.add((a, b))
                s.add(Connection(a, b, now))
        by_line: dict[int, Referral] = {}
        flows: list[Flow] = []  # the counted history so far, for returns through the network
        for line, row in enumerate(_rows(folder / "referrals.csv"), start=1):
            r = Referral(ids[row["from_email"].lower()], ids[row["to_email"].lower()],
                         datetime.fromisoformat(row["offered_at"]), status=row["status"])
            r.answered_at = datetime.fromisoformat(row["answered_at"]) if row["answered_at"] else None
            r.client_name = row["client_name"] or None  # no handoff behind the demo's history to name them
            s.add(r)
            s.flush()
            if row["return_of"]:
                r.return_of_id = by_line[int(row["return_of"])].id
            if r.status in COUNTED_STATUSES:
                flow = Flow(r.id, r.from_id, r.to_id, r.answered_at or r.offered_at, r.return_of_id)
                if r.return_of_id is None:
                    r.return_path = link(flows, flow).return_path
                    path = None if r.return_path is None else tuple(r.return_path)
                    flow = Flow(flow.id, flow.from_id, flow.to_id, flow.at, None, path)
                flows.append(flow)
            by_line[line] = r
        uow.commit()
        return len(pairs), len(by_line)
