"""Faults: a worker killed in the middle of a batch, a database that goes away for a while.

The SMTP server being down (mail waits, retries with backoff, goes out once) is covered
in ``test_outbox_worker.py``.

Delivery is at least once: a message whose worker dies after the mail server took it
but before the row was marked sent is sent again by the next worker. Only that one
message can be repeated; every other message of the abandoned batch waits for its lease
(``claimed_until``) to run out and then goes out exactly once.
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from email import message_from_bytes
from email.policy import default as default_policy
from pathlib import Path

import pytest
from sqlalchemy import event, func, select

from referral.adapters import migrate, orm, outbox
from referral.adapters.mailer import mailer_for
from referral.adapters.outbox import OutgoingMail
from referral.services import delivery
from referral.services.members import create_member
from tests import pgserver
from tests.conftest import Clock, Member, _truncate, make_app
from tests.integration.conftest import Inbox

ROOT = Path(__file__).resolve().parents[2]


# --- the database goes away ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def own_postgres():
    """A PostgreSQL server of this module's own, which the tests stop and start again."""
    try:
        cluster = pgserver.Cluster.create()
    except pgserver.Unavailable as err:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI needs PostgreSQL: {err}")
        pytest.skip(f"PostgreSQL tests skipped: {err}")
    migrate.upgrade(cluster.url)
    yield cluster
    cluster.destroy()


@pytest.fixture
def pg_app(own_postgres, tmp_path, clock):
    _truncate(own_postgres.url)
    app = make_app(own_postgres.url, tmp_path, clock)
    yield app
    app.extensions["referral"].engine.dispose()


@pytest.fixture
def pg_member(pg_app, clock):
    member_id, token = create_member(pg_app.extensions["referral"].uow(), "Maya Brenner", "maya@example.com",
                                     "correct-horse-1", clock())
    return Member(pg_app, member_id, token, "maya@example.com", "correct-horse-1")


HANDOFF = {
    "client": {"name": "Quentin Gallardo", "email": "quentin@gallardo-bistro.example",
               "needs": "Monthly bookkeeping and payroll for a 12-person restaurant."},
    "reasons": ["late_payments"],
    "facts": [{"date": "2026-10-02", "text": "Invoice 114 paid 41 days late"}],
    "disclosure": "Pays every invoice about six weeks late, but always pays in the end.",
}


def count(app, table) -> int:
    with app.extensions["referral"].engine.connect() as conn:
        return conn.scalar(select(func.count()).select_from(table))


@pytest.mark.postgres
class TestTheDatabaseBrieflyUnavailable:
    def test_pages_and_api_answer_503_and_work_again_once_the_database_is_back(
        self, pg_app, own_postgres, pg_member
    ):
        client, member = pg_app.test_client(), pg_member
        r = client.post("/login", data={"email": member.email, "password": member.password})
        assert r.status_code == 302
        assert client.get("/api/handoffs", headers=member.headers).status_code == 200
        assert client.get("/handoffs/").status_code == 200

        own_postgres.down()
        try:
            r = client.get("/api/handoffs", headers=member.headers)
            assert r.status_code == 503
            assert r.get_json()["code"] == 503 and "database" in r.get_json()["message"]
            r = client.post("/api/handoffs", json=HANDOFF, headers=member.headers)
            assert r.status_code == 503 and r.is_json
            r = client.get("/handoffs/")
            assert r.status_code == 503 and r.mimetype == "text/html"
            assert "The database is not answering right now" in r.get_data(as_text=True)
        finally:
            own_postgres.up()

        r = client.get("/api/handoffs", headers=member.headers)
        assert r.status_code == 200 and r.get_json() == []  # the handoff sent during the outage is not there
        assert client.get("/handoffs/").status_code == 200
        assert client.post("/api/handoffs", json=HANDOFF, headers=member.headers).status_code == 201

    def test_a_handoff_cut_off_halfway_through_leaves_nothing_behind(self, pg_app, own_postgres, pg_member):
        client, member = pg_app.test_client(), pg_member
        engine = pg_app.extensions["referral"].engine

        @event.listens_for(engine, "before_cursor_execute")
        def _pull_the_plug(conn, cursor, statement, *args):
            if statement.startswith("INSERT INTO disclosures"):  # the handoff row is already written
                own_postgres.down()

        try:
            r = client.post("/api/handoffs", json=HANDOFF, headers=member.headers)
        finally:
            event.remove(engine, "before_cursor_execute", _pull_the_plug)
            own_postgres.up()
        assert r.status_code == 503 and r.get_json()["code"] == 503
        assert count(pg_app, orm.handoffs) == 0 and count(pg_app, orm.disclosures) == 0
        assert client.get("/api/handoffs", headers=member.headers).get_json() == []

    def test_a_handoff_cut_off_while_its_candidates_are_ranked_is_not_stored(
        self, pg_app, own_postgres, pg_member
    ):
        """The database goes away while the candidates are ranked: the 503 says nothing was saved, and it is so."""
        client, member = pg_app.test_client(), pg_member
        engine = pg_app.extensions["referral"].engine
        stored = []

        @event.listens_for(engine, "before_cursor_execute")
        def _pull_the_plug(conn, cursor, statement, *args):
            if statement.startswith("INSERT INTO disclosures"):
                stored.append(statement)
            elif stored and "FROM referrals" in statement:  # the handoff is written; ranking reads on
                own_postgres.down()

        try:
            r = client.post("/api/handoffs", json=HANDOFF, headers=member.headers)
        finally:
            event.remove(engine, "before_cursor_execute", _pull_the_plug)
            own_postgres.up()
        assert stored, "the database was not cut off"
        assert r.status_code == 503
        assert count(pg_app, orm.handoffs) == 0 and count(pg_app, orm.disclosures) == 0
