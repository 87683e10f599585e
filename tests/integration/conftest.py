"""Integration fixtures for offers: handoffs built through a unit of work, a real SMTP server in process."""

from __future__ import annotations

import re
import socket
import threading
from datetime import date
from email import message_from_bytes
from email.policy import default as default_policy

import pytest
from aiosmtpd.controller import Controller

from referral.domain.model import Fact, Handoff
from tests.conftest import make_app

CLIENT = {
    "name": "Quentin Gallardo",
    "email": "quentin@gallardo-bistro.example",
    "phone": "+351 912 000 111",
    "company": "Gallardo Bistro",
    "industry": "hospitality",
    "budget": "2,000 EUR a month",
    "location": "Porto",
    "needs": "Monthly bookkeeping and payroll for a 12-person restaurant.",
}


@pytest.fixture
def make_handoff(app, clock):
    """``make_handoff(member, **overrides)``: a stored handoff's id (overrides: ``client={...}`` merges)."""

    def make(member, **overrides) -> int:
        client = {**CLIENT, **overrides.pop("client", {})}
        fields = {
            "reasons": ["late_payments"],
            "facts": [Fact(date(2026, 10, 2), "Invoice 114 paid 41 days late")],
            "disclosure": "Pays every invoice about six weeks late, but always pays in the end.",
            "exit_strategy": "refer_elsewhere",
            "finish_by": date(2026, 12, 18),
            "auto_cascade": False,
        }
        fields.update(overrides)
        with app.extensions["referral"].uow() as uow:
            handoff = Handoff(member.id, client, now=clock(), **fields)
            uow.session.add(handoff)
            uow.session.flush()
            handoff_id = handoff.id
            uow.commit()
        return handoff_id

    return make


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Inbox:
    """What a real SMTP server received, parsed; ``down()`` and ``up()`` stop and restart it on its port."""

    def __init__(self):
        self.port = free_port()
        self.url = f"smtp://127.0.0.1:{self.port}"
        self.messages: list = []
        self._lock = threading.Lock()
        self._controller: Controller | None = None

    async def handle_DATA(self, server, session, envelope):
        with self._lock:
            self.messages.append(message_from_bytes(envelope.content, policy=default_policy))
        return "250 Message accepted for delivery"

    def up(self) -> None:
        self._controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self._controller.start()

    def down(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def to(self, address: str, subject_has: str = "") -> list:
        return [m for m in self.messages if m["To"] == address and subject_has in m["Subject"]]

    def one(self, address: str, subject_has: str = ""):
        found = self.to(address, subject_has)
        assert len(found) == 1, [(m["To"], m["Subject"]) for m in self.messages]
        return found[0]


@pytest.fixture
def smtp():
    inbox = Inbox()
    inbox.up()
    yield inbox
    inbox.down()


@pytest.fixture
def mail_app(database_url, tmp_path, clock, smtp):
    """The app with SMTP_URL pointing at the in-process server."""
    app = make_app(database_url, tmp_path, clock, ENV={"SMTP_URL": smtp.url})
    yield app
    app.extensions["referral"].engine.dispose()


def text_of(msg) -> str:
    return msg.get_body(("plain",)).get_content().replace("\r\n", "\n")


def html_of(msg) -> str:
    return msg.get_body(("html",)).get_content().replace("\r\n", "\n")


def links_in(msg) -> dict[str, str]:
    """``{"accept": path, "decline": path}`` from a message's plain text."""
    text = text_of(msg)
    found = {}
    for label, action in (("Accept the client", "accept"), ("Decline", "decline")):
        m = re.search(rf"^{label}:\n(\S+)$", text, re.MULTILINE)
        if m:
            found[action] = m.group(1).replace("http://localhost:5000", "")
    return found


@pytest.fixture
def work(runner):
    """Run one round of the mail worker, as ``flask --app web outbox work --once``."""

    def run():
        r = runner.invoke(args=["outbox", "work", "--once"])
        assert r.exit_code == 0, r.output
        return r.output

    return run
