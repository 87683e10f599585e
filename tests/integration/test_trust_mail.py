"""No input stops the mail: old data with a line break in a name, an address the server cannot carry.

Through the real SMTP server (aiosmtpd), on SQLite and PostgreSQL.
"""

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select

from referral.adapters import orm
from referral.domain.model import Colleague
from tests.conftest import Inbox, links_in


class AsciiOnlyInbox(Inbox):
    """The real SMTP server, configured like many in the wild: no SMTPUTF8, so no non-ASCII address."""

    def up(self) -> None:
        self._controller = Controller(self, hostname="127.0.0.1", port=self.port, enable_SMTPUTF8=False)
        self._controller.start()


@pytest.fixture
def smtp():
    inbox = AsciiOnlyInbox()
    inbox.up()
    yield inbox
    inbox.down()


@pytest.fixture
def app(mail_app):
    return mail_app


def stored_directly(app, member, clock, **fields) -> int:
    """A colleague written straight to the database, as data stored before input was cleaned."""
    with app.extensions["referral"].uow() as uow:
        colleague = Colleague(specialties=["bookkeeping"], added_by_id=member.colleague_id, now=clock(), **fields)
        uow.session.add(colleague)
        uow.session.flush()
        colleague_id = colleague.id
        uow.commit()
    return colleague_id


def offer(client, member, handoff_id, colleague_id):
    r = client.post(f"/api/handoffs/{handoff_id}/offers", json={"colleague_id": colleague_id}, headers=member.headers)
    assert r.status_code == 201, r.get_json()
    return r.get_json()["id"]


def test_a_colleague_named_with_a_line_break_declines_and_every_mail_of_the_batch_still_goes_out(
    app, client, member, clock, make_colleague, make_handoff, smtp, work
):
    odd = stored_directly(app, member, clock, name="Line\nBreak", email="line@example.org")
    offer(client, member, make_handoff(member), odd)
    work()
    r = client.post(links_in(smtp.one("line@example.org"))["decline"], data={"decline_code": "no_capacity", "reason": "No room."})
    assert r.status_code == 200
    # the member's news of the decline (its subject names "Line\nBreak") is first in the next batch
    ana, ben = make_colleague(name="Ana Ruiz"), make_colleague(name="Ben Okafor")
    offer(client, member, make_handoff(member), ana["id"])
    offer(client, member, make_handoff(member), ben["id"])

    work()

    told = smtp.one(member.email, "declined")
    assert told["Subject"] == "Line Break declined Quentin Gallardo"
    assert smtp.one(ana["email"], "would like to refer a client") and smtp.one(ben["email"], "would like")
    with app.extensions["referral"].uow() as uow:
        unsent = uow.session.scalars(select(orm.outbox.c.subject).where(orm.outbox.c.sent_at.is_(None))).all()
    assert unsent == []


def test_a_message_the_server_can_never_carry_ends_failed_on_the_mail_page_and_the_batch_goes_on(
    app, client, member, login, make_colleague, make_handoff, smtp, work
):
    bjorn = make_colleague(name="Bjørn Ødegård", email="bjørn@example.org")
    ana = make_colleague(name="Ana Ruiz")
    offer(client, member, make_handoff(member), bjorn["id"])
    offer(client, member, make_handoff(member), ana["id"])

    work()
    work()  # a failed message that came back would be tried again here

    assert smtp.one(ana["email"], "would like to refer a client")
    login(member)
    page = client.get("/mail").get_data(as_text=True)
    [row] = [tr for tr in page.split("<tr>") if "bjørn@example.org" in tr]
    assert '<span class="tag warn">failed</span>' in row and "cannot carry this message" in row
    assert " tries</small>" not in row  # one attempt, counted, and not tried again
