"""Security headers on every answer, no inline script on any page, one-time link tokens kept out of
the access log and of Referer headers, and no start with a guessable SECRET_KEY."""

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from html.parser import HTMLParser
from pathlib import Path

import pytest

from referral.config import WeakSecret
from tests.conftest import free_port
from tests.integration.security_world import build, log_in
from web import create_app
from web.security import mask_tokens

ROOT = Path(__file__).resolve().parents[2]


def test_pages_and_the_api_carry_the_security_headers(client, member, login):
    login(member)
    for r in (client.get("/dashboard/"), client.get("/api/colleagues", headers=member.headers), client.get("/login")):
        csp = r.headers["Content-Security-Policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp
        assert r.headers["X-Content-Type-Options"] == "nosniff"
        assert r.headers["X-Frame-Options"] == "DENY"
        assert r.headers["Referrer-Policy"] == "same-origin"


def test_an_answer_link_page_sends_no_referer(app, client, member, make_colleague, clock):
    world = build(app, client, member, make_colleague, clock)
    r = client.get(world.links["accept"])
    assert r.status_code == 200 and r.headers["Referrer-Policy"] == "no-referrer"


class _Inline(HTMLParser):
    def __init__(self):
        super().__init__()
        self.found: list[str] = []
        self._script = False

    def handle_starttag(self, tag, attrs):
        names = [name for name, _ in attrs]
        self.found += [f"<{tag} {n}>" for n in names if n.startswith("on") or n == "style"]
        self._script = tag == "script" and "src" not in names
        if tag == "style":
            self.found.append("<style>")

    def handle_data(self, data):
        if self._script and data.strip():
            self.found.append(f"<script>{data[:40]}")

    def handle_endtag(self, tag):
        self._script = False


def test_no_page_has_inline_script_handlers_or_styles_the_policy_would_block(app, client, member, make_colleague,
                                                                              clock):
    world = build(app, client, member, make_colleague, clock)
    pages = [world.links["accept"], "/login"]
    log_in(client, member)
    pages += ["/dashboard/", "/colleagues/", f"/colleagues/{world.ana['id']}", "/colleagues/new", "/handoffs/",
              "/handoffs/new", f"/handoffs/{world.handoff}", f"/referrals/{world.accepted}", "/referrals/",
              "/network/", "/ledger/", "/mail", "/settings/"]
    for page in pages:
        r = client.get(page)
        assert r.status_code == 200, page
        parser = _Inline()
        parser.feed(r.get_data(as_text=True))
        assert parser.found == [], (page, parser.found)


def test_link_tokens_are_masked_but_ids_and_file_names_are_not():
    token = "eyJyIjoxLCJjIjoyLCJhIjoiYWNjZXB0In0.Z0Q3mA.abcDEF-ghi_jkl"
    assert mask_tokens(f"GET /offers/{token} HTTP/1.1") == "GET /offers/[token] HTTP/1.1"
    assert mask_tokens(f"http://localhost:5000/offers/{token}?x=1") == "http://localhost:5000/offers/[token]?x=1"
    assert mask_tokens("GET /handoffs/12/candidates?limit=5 HTTP/1.1") == "GET /handoffs/12/candidates?limit=5 HTTP/1.1"
    assert mask_tokens("/vendor/cytoscape/dist/cytoscape.min.js") == "/vendor/cytoscape/dist/cytoscape.min.js"


def wait_listening(port: int, proc: subprocess.Popen) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        assert proc.poll() is None, "gunicorn exited"
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise AssertionError("gunicorn did not start listening")


def test_the_access_log_of_the_procfile_server_masks_link_tokens(tmp_path, sqlite_template):
    """gunicorn as the Procfile runs it (its config file from the working directory), real HTTP."""
    db = tmp_path / "app.db"
    db.write_bytes(sqlite_template.read_bytes())
    port, log = free_port(), tmp_path / "access.log"
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{db}", "SECRET_KEY": "a-test-secret-of-some-length"}
    gunicorn = str(Path(sys.executable).with_name("gunicorn"))
    proc = subprocess.Popen([gunicorn, "--workers", "1", "--bind", f"127.0.0.1:{port}", "--access-logfile",
                             str(log), "web:create_app()"], cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    token = "eyJyIjoxLCJjIjoyLCJhIjoiYWNjZXB0In0.Z0Q3mA.abcDEF-ghi_jkl"
    try:
        wait_listening(port, proc)
        base = f"http://127.0.0.1:{port}"
        with pytest.raises(urllib.error.HTTPError) as refused:  # not a genuine link: 400, logged all the same
            urllib.request.urlopen(f"{base}/offers/{token}")
        refused.value.close()
        request = urllib.request.Request(f"{base}/static/app.css", headers={"Referer": f"{base}/offers/{token}"})
        with urllib.request.urlopen(request) as r:
            assert r.status == 200
    finally:
        proc.terminate()
        proc.wait(10)
    logged = log.read_text()
    assert "/offers/[token]" in logged and "/static/app.css" in logged
    assert token not in logged and token.split(".")[-1] not in logged


def test_the_app_refuses_to_start_with_a_short_secret_key(database_url, tmp_path):
    env = {"DATABASE_URL": database_url, "SECRET_KEY": "x"}
    with pytest.raises(WeakSecret, match="at least 16 characters"):
        create_app({"ENV": env})
    app = create_app({"ENV": env, "TESTING": True})  # a test run may
    app.extensions["referral"].engine.dispose()
    app = create_app({"ENV": {**env, "SECRET_KEY": "s" * 16}})
    app.extensions["referral"].engine.dispose()
