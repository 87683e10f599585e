"""The mail worker: every message goes out once, even with the server down or several workers running."""

import logging
import threading
from collections import Counter

import pytest
from sqlalchemy import select

from referral.adapters import orm
from referral.adapters.mailer import mailer_for
from referral.services import delivery


def queue_offers(client, member, make_colleague, make_handoff, n):
    for i in range(n):
        c = make_colleague(name=f"Colleague {i}", email=f"c{i}@example.org")
        r = client.post(
            f"/api/handoffs/{make_handoff(member)}/offers",
            json={"colleague_id": c["id"]},
            headers=member.headers,
        )
        assert r.status_code == 201


def outbox_rows(app):
    with app.extensions["referral"].engine.connect() as conn:
        return conn.execute(select(orm.outbox).order_by(orm.outbox.c.id)).all()


def attempts(app):
    with app.extensions["referral"].engine.connect() as conn:
        return conn.execute(select(orm.outbox_attempts).order_by(orm.outbox_attempts.c.id)).all()


def test_without_smtp_mail_stays_in_the_outbox_and_is_printed_to_the_log_once(
    app, client, runner, member, make_colleague, make_handoff, caplog, login
):
    queue_offers(client, member, make_colleague, make_handoff, 1)
    with caplog.at_level(logging.WARNING, logger="referral.mail"):
        runner.invoke(args=["outbox", "work", "--once"])
        runner.invoke(args=["outbox", "work", "--once"])
    printed = [r for r in caplog.records if "stays in the outbox" in r.getMessage()]
    assert len(printed) == 1 and "c0@example.org" in printed[0].getMessage()
    assert "Accept the client" in printed[0].getMessage()
    (row,) = outbox_rows(app)
    assert row.sent_at is None
    login(member)
    page = client.get("/mail").get_data(as_text=True)
    assert "printed to the log" in page and "No mail server is set" in page


class TestWithSmtp:
    """These run against a real SMTP server in process."""

    @pytest.fixture
    def app(self, mail_app):
        return mail_app

    def test_with_the_server_down_mail_waits_and_then_goes_out_exactly_once(
        self, app, client, member, make_colleague, make_handoff, smtp, work, clock, login
    ):
        queue_offers(client, member, make_colleague, make_handoff, 3)
        smtp.down()
        work()
        rows = outbox_rows(app)
        assert all(r.sent_at is None and r.attempts == 1 for r in rows)
        assert all("cannot reach the mail server" in r.last_error for r in rows)
        login(member)
        assert "retrying" in client.get("/mail").get_data(as_text=True)
        smtp.up()
        work()  # the backoff holds them back for a minute
        assert smtp.messages == []
        clock.advance(minutes=1)
        work()
        work()
        assert sorted(m["To"] for m in smtp.messages) == [
            "c0@example.org",
            "c1@example.org",
            "c2@example.org",
        ]
        assert Counter(m["Message-ID"] for m in smtp.messages).most_common(1)[0][1] == 1
        tries = attempts(app)
        assert len(tries) == 6 and [t.error is None for t in tries].count(True) == 3
        assert all(r.sent_at is not None and r.last_error is None for r in outbox_rows(app))

    def test_backoff_doubles_after_each_failure(
        self, app, client, member, make_colleague, make_handoff, smtp, work, clock
    ):
        queue_offers(client, member, make_colleague, make_handoff, 1)
        smtp.down()
        waits = []
        for _ in range(4):
            work()
            (row,) = outbox_rows(app)
            waits.append(row.due_at - clock())
            clock.advance(seconds=waits[-1].total_seconds())
        assert [w.total_seconds() / 60 for w in waits] == [1, 2, 4, 8]

    def test_several_workers_at_once_never_send_a_message_twice(
        self, app, client, member, make_colleague, make_handoff, smtp
    ):
        queue_offers(client, member, make_colleague, make_handoff, 12)
        svc = app.extensions["referral"]
        start = threading.Barrier(4)
        errors = []

        def worker():
            try:
                start.wait()
                for _ in range(3):
                    delivery.work_once(
                        svc.uow(),
                        svc.settings,
                        mailer_for(svc.settings.smtp_url),
                        svc.clock,
                        svc.ranker,
                        batch=2,
                    )
            except Exception as err:  # noqa: BLE001 - a thread's failure is asserted below
                errors.append(err)

        threads = [threading.Thread(target=worker) for _ in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert errors == []
        assert len(smtp.messages) == 12
        assert len({m["Message-ID"] for m in smtp.messages}) == 12
        assert len(attempts(app)) == 12


def test_the_procfile_runs_the_worker():
    from pathlib import Path

    procfile = (Path(__file__).resolve().parents[2] / "Procfile").read_text()
    assert "worker: flask --app web outbox work" in procfile.splitlines()
