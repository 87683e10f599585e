"""Browser tests: Debian's Chromium driven by Playwright, against the app on a real server.

Playwright's own browser downloads are never used. Without /usr/bin/chromium a local run
skips these tests (saying so); in CI (``CI=true``) that is a failure.
"""

from __future__ import annotations

import os
import shutil
import threading
from pathlib import Path

import pytest
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


@pytest.fixture
def live_app(tmp_path, sqlite_template):
    """The app, seeded with the demo network, served by werkzeug on a free port."""
    db = tmp_path / "e2e.db"
    shutil.copy(sqlite_template, db)
    app = make_app(f"sqlite:///{db}", tmp_path, Clock())
    result = app.test_cli_runner().invoke(args=["seed"])
    assert result.exit_code == 0, result.output
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    app.base_url = f"http://127.0.0.1:{server.server_port}"
    yield app
    server.shutdown()
    thread.join(5)
    app.extensions["referral"].engine.dispose()
