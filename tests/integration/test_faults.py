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
from referral.adapters.mailer import SmtpMailer, mailer_for
from referral.adapters.outbox import OutgoingMail
from referral.services import delivery
from referral.services.members import create_member
from tests import pgserver
from tests.conftest import Clock, Inbox, Member, _truncate, make_app

ROOT = Path(__file__).resolve().parents[2]


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


class StallingInbox(Inbox):
    """An SMTP server that has the message as soon as it arrives, then waits ``stall`` seconds to say so."""

    stall = 0.0

    async def handle_DATA(self, server, session, envelope):
        with self._lock:
            self.messages.append(message_from_bytes(envelope.content, policy=default_policy))
        await asyncio.sleep(self.stall)
        return "250 Message accepted for delivery"


@pytest.fixture
def slow_smtp():
    inbox = StallingInbox()
    inbox.up()
    yield inbox
    inbox.stall = 0
    inbox.down()


@pytest.fixture
def app_with_smtp(database_url, tmp_path):
    """``app_with_smtp(clock, smtp_url)``: the app on this test's database; disposed at the end."""
    made = []

    def make(clock, smtp_url):
        made.append(make_app(database_url, tmp_path, clock, ENV={"SMTP_URL": smtp_url}))
        return made[-1]

    yield make
    for app in made:
        app.extensions["referral"].engine.dispose()


def queue_mail(app, n: int, now: datetime) -> list[str]:
    """n messages due now; returns their Message-IDs in outbox order."""
    with app.extensions["referral"].uow() as uow:
        for i in range(n):
            mail = OutgoingMail("offer", f"colleague{i}@example.org", f"A client for you ({i})", "text", "<p>html</p>")
            outbox.queue(uow.session, mail, mail_from="Referral <no-reply@example.org>", now=now,
                         member_id=None, referral_id=None)
        uow.commit()
    with app.extensions["referral"].engine.connect() as conn:
        return list(conn.scalars(select(orm.outbox.c.message_id).order_by(orm.outbox.c.id)))


def outbox_rows(app):
    with app.extensions["referral"].engine.connect() as conn:
        return conn.execute(select(orm.outbox).order_by(orm.outbox.c.id)).all()


def worker_process(database_url: str, smtp_url: str, *args: str) -> subprocess.Popen:
    """``flask --app web outbox work``, as the Procfile runs it."""
    env = {**os.environ, "DATABASE_URL": database_url, "SMTP_URL": smtp_url, "SECRET_KEY": "test-secret-key-16+"}
    flask = str(Path(sys.executable).with_name("flask"))
    return subprocess.Popen([flask, "--app", "web", "outbox", "work", "--interval", "0.2", *args], cwd=ROOT,
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def wait_for(condition, timeout: float = 30, what: str = "") -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.02)


class TestAWorkerKilledInTheMiddleOfABatch:
    N = 8

    def test_the_next_worker_sends_the_rest_after_the_lease_and_only_the_message_in_flight_twice(
        self, database_url, app_with_smtp, slow_smtp
    ):
        clock = Clock(utcnow())
        app = app_with_smtp(clock, slow_smtp.url)
        ids = queue_mail(app, self.N, clock())
        slow_smtp.stall = 1.0
        with worker_process(database_url, slow_smtp.url) as first:
            try:
                # the third message has reached the server, which has not answered yet: kill the worker now
                wait_for(lambda: len(slow_smtp.messages) >= 3, what="the first worker to send three messages")
            finally:
                first.send_signal(signal.SIGKILL)
                first.wait(timeout=10)
        in_flight = slow_smtp.messages[2]["Message-ID"]
        slow_smtp.stall = 0

        rows = outbox_rows(app)
        assert [r.sent_at is not None for r in rows] == [True, True] + [False] * (self.N - 2)
        leased = rows[2:]
        assert all(r.claimed_until is not None and r.claimed_until > utcnow() for r in leased)

        # a worker started at once leaves the abandoned rows alone: their lease still runs
        with worker_process(database_url, slow_smtp.url, "--once") as second:
            out, _ = second.communicate(timeout=60)
        assert second.returncode == 0, out
        assert len(slow_smtp.messages) == 3
        assert [r.sent_at is not None for r in outbox_rows(app)].count(True) == 2

        # once the lease has run out, the next round takes them
        clock.now = max(r.claimed_until for r in leased) + timedelta(seconds=1)
        r = app.test_cli_runner().invoke(args=["outbox", "work", "--once"])
        assert r.exit_code == 0, r.output

        sent = Counter(m["Message-ID"] for m in slow_smtp.messages)
        assert set(sent) == set(ids), "a message was lost"
        assert {mid for mid, n in sent.items() if n > 1} == {in_flight}
        assert sent[in_flight] == 2
        assert all(r.sent_at is not None and r.claimed_until is None for r in outbox_rows(app))


class TestAWorkerWhoseBatchOutlastsItsLease:
    """A slow mail server must not let a second worker take rows the first one is still sending."""

    def test_a_second_worker_never_sends_what_a_slow_first_one_is_still_sending(
        self, app_with_smtp, smtp
    ):
        clock = Clock(utcnow())
        app = app_with_smtp(clock, smtp.url)
        ids = queue_mail(app, 6, clock())
        svc = app.extensions["referral"]
        started = clock()

        def other_worker():
            delivery.work_once(svc.uow(), svc.settings, mailer_for(smtp.url), clock)

        class SlowMailer(SmtpMailer):
            """Each message takes two minutes to hand over; meanwhile other workers keep polling."""

            def send(self, msg):
                super().send(msg)
                clock.advance(minutes=2)
                if clock() > started + outbox.LEASE:
                    other_worker()

        first = delivery.work_once(svc.uow(), svc.settings, SlowMailer(smtp.url), clock)
        assert 0 < first.sent < 6  # it stopped before its lease ran out
        rest = [r for r in outbox_rows(app) if r.sent_at is None]
        assert rest and all(r.claimed_until is None for r in rest)  # and let go of the rest at once
        other_worker()
        sent = Counter(m["Message-ID"] for m in smtp.messages)
        assert sorted(sent) == sorted(ids) and max(sent.values()) == 1


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
        cut: list[str] = []

        @event.listens_for(engine, "before_cursor_execute")
        def _pull_the_plug(conn, cursor, statement, *args):
            if not cut and "FROM referrals" in statement:  # ranking reads the open referrals
                cut.append(statement)
                own_postgres.down()

        try:
            r = client.post("/api/handoffs", json=HANDOFF, headers=member.headers)
        finally:
            event.remove(engine, "before_cursor_execute", _pull_the_plug)
            own_postgres.up()
        assert cut, "the database was not cut off"
        assert r.status_code == 503
        assert count(pg_app, orm.handoffs) == 0 and count(pg_app, orm.disclosures) == 0
        assert client.post("/api/handoffs", json=HANDOFF, headers=member.headers).status_code == 201
        assert count(pg_app, orm.handoffs) == 1  # trying again leaves one, not two
