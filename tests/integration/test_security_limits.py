"""Guessing is slow: log-in and the emailed links are rate limited per address; session cookies are guarded."""

import pytest

from tests.conftest import make_app
from tests.integration.security_world import build


@pytest.fixture
def app(database_url, tmp_path, clock):
    app = make_app(database_url, tmp_path, clock, RATELIMIT_ENABLED=True)
    yield app
    app.extensions["referral"].engine.dispose()


def test_the_eleventh_failed_login_from_an_address_in_a_minute_answers_429_with_a_clear_page(client, member):
    for i in range(10):  # spraying: a few guesses at many accounts
        assert client.post("/login", data={"email": f"m{i}@example.com", "password": "guess"}).status_code == 401
    r = client.post("/login", data={"email": member.email, "password": "guess"})
    page = r.get_data(as_text=True)
    assert r.status_code == 429 and r.mimetype == "text/html"
    assert "Too Many Requests" in page and "Please wait a minute" in page and "10 per 1 minute" in page
    assert client.get("/login").status_code == 200  # reading the form is not an attempt


def test_the_limit_answers_json_to_a_client_that_asks_for_it(client, member):
    for i in range(10):
        client.post("/login", data={"email": f"m{i}@example.com", "password": "guess"})
    r = client.post("/login", data={"email": member.email, "password": "guess"},
                    headers={"Accept": "application/json"})
    assert r.status_code == 429
    body = r.get_json()
    assert (body["code"], body["status"]) == (429, "Too Many Requests") and "wait a minute" in body["message"]


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_the_31st_use_of_emailed_links_in_a_minute_answers_429(client, method):
    for i in range(30):
        assert client.open(f"/offers/guess-{i}", method=method).status_code == 400  # not a genuine link
    r = client.open("/offers/guess-31", method=method)
    assert r.status_code == 429 and "Please wait a minute" in r.get_data(as_text=True)


def test_a_genuine_link_is_limited_too(app, client, member, make_colleague, clock):
    world = build(app, client, member, make_colleague, clock)
    for _ in range(30):
        assert client.get(world.links["accept"]).status_code == 200
    assert client.get(world.links["accept"]).status_code == 429


def session_cookie(response) -> str:
    cookies = [h for h in response.headers.getlist("Set-Cookie") if h.startswith("session=")]
    assert cookies, response.headers
    return cookies[0]


def test_the_session_cookie_is_httponly_and_samesite_lax(client, member):
    cookie = session_cookie(client.post("/login", data={"email": member.email, "password": member.password}))
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert "Secure" not in cookie  # BASE_URL is http://localhost:5000: the browser would drop it


def test_the_session_cookie_is_secure_when_the_site_is_https(database_url, tmp_path, clock):
    from referral.services.members import create_member

    app = make_app(database_url, tmp_path, clock, ENV={"BASE_URL": "https://referrals.example"})
    try:
        create_member(app.extensions["referral"].uow(), "Maya", "maya@example.com", "correct-horse-1", clock())
        r = app.test_client().post("/login", data={"email": "maya@example.com", "password": "correct-horse-1",
                                                   "remember": "on"}, base_url="https://referrals.example")
        assert r.status_code == 302
        assert all("Secure" in c and "HttpOnly" in c for c in r.headers.getlist("Set-Cookie"))
        assert "; Secure" in session_cookie(r)
    finally:
        app.extensions["referral"].engine.dispose()
