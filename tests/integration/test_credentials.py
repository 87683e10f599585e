"""Credentials can be withdrawn: logging out or changing the password ends saved cookies, API tokens
are listed, revoked, rotated and expire, and passwords have a minimum length everywhere they are set."""

import pytest
from sqlalchemy import select

from referral.adapters import orm
from tests.conftest import found


def test_a_saved_session_cookie_stops_working_after_logout(app, client, member, login):
    login(member)
    saved = client.get_cookie("session").value
    assert client.get("/dashboard/").status_code == 200
    assert client.post("/logout").status_code == 302
    client.set_cookie("session", saved)  # the copy an attacker or a shared computer kept
    r = client.get("/dashboard/")
    assert r.status_code == 302 and "/login" in r.headers["Location"]


def test_the_remember_cookie_stops_working_after_logout(app, client, member):
    client.post("/login", data={"email": member.email, "password": member.password, "remember": "on"})
    remembered = client.get_cookie("remember_token").value
    fresh = app.test_client()
    fresh.set_cookie("remember_token", remembered)
    assert fresh.get("/dashboard/").status_code == 200  # it works while the member is logged in
    client.post("/logout")
    later = app.test_client()
    later.set_cookie("remember_token", remembered)
    r = later.get("/dashboard/")
    assert r.status_code == 302 and "/login" in r.headers["Location"]


def test_changing_the_password_needs_the_current_one_and_ends_every_other_session(app, client, member, login):
    login(member)
    laptop = app.test_client()
    laptop.post("/login", data={"email": member.email, "password": member.password, "remember": "on"})
    assert laptop.get("/dashboard/").status_code == 200

    r = client.post("/settings/password", data={"current_password": "wrong-guess-123", "new_password": "x" * 12})
    assert r.status_code == 422 and "not your current password" in r.get_data(as_text=True)
    r = client.post("/settings/password", data={"current_password": member.password, "new_password": "short"})
    assert r.status_code == 422 and "at least 10 characters" in r.get_data(as_text=True)
    assert laptop.get("/dashboard/").status_code == 200  # nothing changed yet

    r = client.post("/settings/password", data={"current_password": member.password,
                                                "new_password": "a-much-longer-one"})
    assert r.status_code == 302
    assert client.get("/dashboard/").status_code == 200  # this session carries on
    assert laptop.get("/dashboard/").status_code == 302  # the other one, remember cookie and all, ended
    other = app.test_client()
    assert other.post("/login", data={"email": member.email, "password": member.password}).status_code == 401
    assert other.post("/login", data={"email": member.email, "password": "a-much-longer-one"}).status_code == 302


def test_member_create_refuses_a_short_password(runner):
    r = runner.invoke(args=["member", "create", "Maya Brenner", "maya@example.com", "--password", "short"])
    assert r.exit_code == 2 and "at least 10 characters" in r.output
    assert "Member" not in r.output


def last_line(output: str) -> str:
    return output.strip().splitlines()[-1]


def api_answers(client, token: str) -> int:
    return client.get("/api/colleagues", headers={"Authorization": f"Bearer {token}"}).status_code


def test_tokens_are_made_listed_revoked_and_rotated_from_the_command_line(client, runner, member):
    r = runner.invoke(args=["token", "create", member.email, "--name", "nightly export", "--days", "30"])
    assert r.exit_code == 0, r.output
    made = last_line(r.output)
    assert api_answers(client, made) == 200

    listing = runner.invoke(args=["token", "list", member.email]).output
    assert "nightly export" in listing and "first token" in listing and made not in listing
    new_id = int(listing.splitlines()[0].split("\t")[0])

    r = runner.invoke(args=["token", "rotate", member.email, str(new_id)])
    assert r.exit_code == 0, r.output
    rotated = last_line(r.output)
    assert api_answers(client, made) == 401 and api_answers(client, rotated) == 200
    assert "revoked" in runner.invoke(args=["token", "list", member.email]).output
    again = runner.invoke(args=["token", "rotate", member.email, str(new_id)])  # a revoked token stays revoked
    assert again.exit_code == 1 and "was revoked" in again.output

    rotated_id = int(runner.invoke(args=["token", "list", member.email]).output.splitlines()[0].split("\t")[0])
    assert runner.invoke(args=["token", "revoke", member.email, str(rotated_id)]).exit_code == 0
    assert api_answers(client, rotated) == 401
    assert api_answers(client, member.token) == 200  # the others keep working


def test_a_member_cannot_revoke_another_members_token_from_the_command_line(runner, member, make_member):
    otto = make_member(name="Otto Lind", email="otto@example.com")
    listing = runner.invoke(args=["token", "list", member.email]).output
    maya_token = listing.splitlines()[0].split("\t")[0]
    r = runner.invoke(args=["token", "revoke", otto.email, maya_token])
    assert r.exit_code == 1 and "No token" in r.output


def test_a_token_stops_working_when_it_expires(client, runner, member, clock):
    token = last_line(runner.invoke(args=["token", "create", member.email, "--days", "1"]).output)
    assert api_answers(client, token) == 200
    clock.advance(days=1, seconds=1)
    r = client.get("/api/colleagues", headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 401 and "expired" in r.get_json()["message"]
    assert "expired" in runner.invoke(args=["token", "list", member.email]).output


@pytest.mark.parametrize("days", ["0", "5000", "soon"])
def test_a_token_lifetime_outside_one_day_to_three_years_is_refused_naming_the_field(client, member, login, days):
    login(member)
    r = client.post("/settings/tokens", data={"name": "script", "days": days})
    assert r.status_code == 422 and "days" in r.get_data(as_text=True).lower()


def test_the_settings_page_shows_a_new_token_once_and_can_revoke_it(app, client, member, login):
    login(member)
    r = client.post("/settings/tokens", data={"name": "spreadsheet", "days": "90"})
    assert r.status_code == 201
    page = r.get_data(as_text=True)
    token = found(r'<code class="token">([^<]+)</code>', page).group(1)
    assert api_answers(client, token) == 200
    again = client.get("/settings/").get_data(as_text=True)
    assert "spreadsheet" in again and token not in again  # shown once only
    with app.extensions["referral"].engine.connect() as conn:
        stored = conn.execute(select(orm.api_tokens)).all()
    assert token not in str(stored)  # only hashes are kept
    token_id = max(row.id for row in stored)
    assert client.post(f"/settings/tokens/{token_id}/revoke").status_code == 302
    assert api_answers(client, token) == 401
