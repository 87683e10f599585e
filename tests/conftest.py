"""Fixtures: an app on a fresh database (SQLite, and PostgreSQL when there is one), clients, factories,
and a real SMTP server in process with helpers to read what it received."""

from __future__ import annotations

import os
import re
import shutil
import socket
import threading
from datetime import datetime
from email import message_from_bytes
from email.policy import default as default_policy

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import text

from referral.adapters import migrate, orm
from tests import pgserver
from web import create_app

FIXED_NOW = datetime(2026, 11, 25, 9, 0, 0)


def pytest_addoption(parser):
    parser.addoption("--backends", default="sqlite,postgresql", help="databases to run the suite against")


@pytest.fixture(scope="session")
def postgres_url(request):
    url, stop = pgserver.start()
    if url is None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI needs PostgreSQL: {stop}")
        pytest.skip(f"PostgreSQL tests skipped: {stop}")
    migrate.upgrade(url)
    yield url
    stop()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory):
    path = tmp_path_factory.mktemp("template") / "template.db"
    migrate.upgrade(f"sqlite:///{path}")
    return path


def pytest_generate_tests(metafunc):
    if "database_url" in metafunc.fixturenames:
        backends = metafunc.config.getoption("--backends").split(",")
        if metafunc.definition.get_closest_marker("postgres"):  # what it tests cannot happen on SQLite
            backends = [b for b in backends if b == "postgresql"]
        metafunc.parametrize("database_url", backends, indirect=True)


@pytest.fixture
def database_url(request, tmp_path):
    if request.param == "sqlite":
        path = tmp_path / "test.db"
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        return f"sqlite:///{path}"
    url = request.getfixturevalue("postgres_url")
    _truncate(url)
    return url


def _truncate(url: str) -> None:
    from referral.adapters.db import make_engine

    engine = make_engine(url)
    names = ", ".join(t.name for t in orm.metadata.sorted_tables)
    with engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    engine.dispose()


class Clock:
    """A clock the tests move by hand."""

    def __init__(self, now: datetime = FIXED_NOW):
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta) -> None:
        from datetime import timedelta
        self.now += timedelta(**delta)


@pytest.fixture
def clock():
    return Clock()


def make_app(database_url, tmp_path, clock, **extra):
    env = {"DATABASE_URL": database_url, "SECRET_KEY": "test-secret-key", "BASE_URL": "http://localhost:5000"}
    env.update(extra.pop("ENV", {}))
    config = {"TESTING": True, "ENV": env, "CLOCK": clock, "RATELIMIT_ENABLED": False, "WTF_CSRF_ENABLED": False}
    config.update(extra)
    app = create_app(config)
    return app


@pytest.fixture
def app(database_url, tmp_path, clock):
    app = make_app(database_url, tmp_path, clock)
    yield app
    app.extensions["referral"].engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


class Member:
    def __init__(self, app, member_id, token, email, password):
        self.app, self.id, self.token, self.email, self.password = app, member_id, token, email, password

    @property
    def headers(self):
        return {"Authorization": f"Bearer {self.token}"}

    @property
    def colleague_id(self):
        from referral.services.queries import member_colleague_id
        with self.app.extensions["referral"].uow() as u:
            return member_colleague_id(u.session, self.id)


@pytest.fixture
def make_member(app, clock):
    from referral.services.members import create_member

    def make(name="Maya Brenner", email="maya@example.com", password="correct-horse-1", **colleague):
        member_id, token = create_member(app.extensions["referral"].uow(), name, email, password, clock(),
                                         colleague_fields=colleague or None)
        return Member(app, member_id, token, email, password)

    return make


@pytest.fixture
def member(make_member):
    return make_member()


@pytest.fixture
def make_colleague(client, member):
    """Add a colleague through the API, as a member would; returns the stored JSON."""
    counter = iter(range(1, 10_000))

    def make(by=None, **fields):
        n = next(counter)
        body = {"name": f"Colleague {n}", "email": f"colleague{n}@example.org", "specialties": ["bookkeeping"]}
        body.update(fields)
        r = client.post("/api/colleagues", json=body, headers=(by or member).headers)
        assert r.status_code == 201, r.get_json()
        return r.get_json()

    return make


@pytest.fixture
def login(client):
    def do(member):
        r = client.post("/login", data={"email": member.email, "password": member.password})
        assert r.status_code == 302, r.data[:500]
        return member

    return do


# --- mail: a real SMTP server in process ---------------------------------------------------------


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


def found(pattern: str, text: str, flags: int = 0) -> re.Match[str]:
    """The first match of ``pattern`` in ``text``; fails the test, showing the text, when there is none."""
    match = re.search(pattern, text, flags)
    assert match is not None, f"{pattern!r} is not in:\n{text}"
    return match


def text_of(msg) -> str:
    return msg.get_body(("plain",)).get_content().replace("\r\n", "\n")


def html_of(msg) -> str:
    return msg.get_body(("html",)).get_content().replace("\r\n", "\n")


def links_in(msg, base: str = "http://localhost:5000") -> dict[str, str]:
    """``{"accept": url, "decline": url}`` from a message's plain text, relative to ``base``
    (the default BASE_URL); ``base=""`` keeps them whole."""
    text = text_of(msg)
    found = {}
    for label, action in (("Accept the client", "accept"), ("Decline", "decline")):
        m = re.search(rf"^{label}:\n(\S+)$", text, re.MULTILINE)
        if m:
            found[action] = m.group(1).removeprefix(base)
    return found
