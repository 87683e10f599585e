"""Browser tests: Debian's Chromium driven by Playwright, against the app on a real server.

Playwright's own browser downloads are never used. Without /usr/bin/chromium a local run
skips these tests (saying so); in CI (``CI=true``) that is a failure.
"""

from __future__ import annotations

import os
import shutil
import threading
import time
from contextlib import contextmanager
from pathlib import Path

import pytest
from flask import Flask
from werkzeug.serving import make_server

from tests.conftest import Clock, make_app

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
CHROMIUM_ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not os.path.exists(CHROMIUM):
        message = f"browser tests need chromium at {CHROMIUM} (apt-get install chromium)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def base_url():
    """Each test serves its own app; this also replaces pytest-playwright's fallback
    fixture, which pytest 9 warns about (a fixture defined as a plugin instance method)."""
    return


@pytest.fixture
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


@contextmanager
def serve(build):
    """Serve ``build(base_url)``'s app with werkzeug in a thread on a free port; yields the app.

    The port is bound before the app is built, so the app can know its own address (BASE_URL).
    """
    served: list[Flask] = []  # filled once the app is built: the server's port comes first
    server = make_server("127.0.0.1", 0, lambda environ, start: served[0](environ, start), threaded=True)
    base_url = f"http://127.0.0.1:{server.server_port}"
    app = build(base_url)
    app.base_url = base_url
    served.append(app)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield app
    finally:
        server.shutdown()
        thread.join(5)
        server.server_close()
        app.extensions["referral"].engine.dispose()


@pytest.fixture
def live_app(tmp_path, sqlite_template):
    """The app, seeded with the demo network, served by werkzeug on a free port."""
    db = tmp_path / "e2e.db"
    shutil.copy(sqlite_template, db)

    def build(base_url):
        app = make_app(f"sqlite:///{db}", tmp_path, Clock())
        result = app.test_cli_runner().invoke(args=["seed"])
        assert result.exit_code == 0, result.output
        return app

    with serve(build) as app:
        yield app


@pytest.fixture
def mail_live_app(tmp_path, sqlite_template, smtp):
    """The app on an empty database, served on a free port, mailing the in-process SMTP server
    (``smtp``) with links to itself; forms need their CSRF token, as in production.
    ``app.config["CLOCK"]`` is the clock the tests move."""
    db = tmp_path / "e2e.db"
    shutil.copy(sqlite_template, db)

    def build(base_url):
        return make_app(f"sqlite:///{db}", tmp_path, Clock(), ENV={"SMTP_URL": smtp.url, "BASE_URL": base_url},
                        WTF_CSRF_ENABLED=True)

    with serve(build) as app:
        yield app


def wait_until(page, expression: str, timeout: float = 15) -> None:
    """Poll a page expression until it holds (``wait_for_function`` evaluates its string with eval,
    which the Content-Security-Policy rightly blocks; ``evaluate`` goes through DevTools)."""
    deadline = time.monotonic() + timeout
    while not page.evaluate(expression):
        assert time.monotonic() < deadline, f"never true: {expression}"
        page.wait_for_timeout(100)
