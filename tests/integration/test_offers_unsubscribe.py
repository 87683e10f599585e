"""One-click unsubscribe (RFC 8058) for colleagues who are not members, through the real SMTP server."""

import pytest

from tests.conftest import text_of


@pytest.fixture
def app(mail_app):
    return mail_app


BASE = "http://localhost:5000"


def test_offer_mail_to_a_colleague_carries_one_click_unsubscribe_and_mail_to_a_member_does_not(
    client, member, make_member, make_colleague, make_handoff, smtp, work
):
    ana = make_colleague(name="Ana Ruiz", email="ana@example.org")
    make_member(name="Bo Berg", email="bo@example.com")
    bo = next(c for c in client.get("/api/colleagues", headers=member.headers).get_json()
              if c["email"] == "bo@example.com")
    for who in (ana, bo):
        r = client.post(f"/api/handoffs/{make_handoff(member)}/offers", json={"colleague_id": who["id"]},
                        headers=member.headers)
        assert r.status_code == 201
    work()
    offer = smtp.one("ana@example.org")
    assert offer["List-Unsubscribe"].startswith(f"<{BASE}/offers/unsubscribe/")
    assert offer["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert smtp.one("bo@example.com")["List-Unsubscribe"] is None


def test_the_one_click_post_stops_offers_and_tells_the_member_who_added_them_once(
    client, member, make_colleague, make_handoff, smtp, work
):
    ana = make_colleague(name="Ana Ruiz", email="ana@example.org")
    client.post(f"/api/handoffs/{make_handoff(member)}/offers", json={"colleague_id": ana["id"]},
                headers=member.headers)
    work()
    address = smtp.one("ana@example.org")["List-Unsubscribe"].strip("<>").removeprefix(BASE)
    page = client.get(address)
    assert page.status_code == 200 and "Stop offers to me" in page.get_data(as_text=True)
    assert client.get(f"/api/colleagues/{ana['id']}", headers=member.headers).get_json()["paused_until"] is None
    for _ in range(2):  # what a mail client sends (RFC 8058), twice
        r = client.post(address, data="List-Unsubscribe=One-Click",
                        content_type="application/x-www-form-urlencoded")
        assert r.status_code == 200 and "You will get no more offers" in r.get_data(as_text=True)
    work()
    told = smtp.one(member.email, "unsubscribed")
    assert "Ana Ruiz (ana@example.org) asked" in text_of(told) and "paused with no end date" in text_of(told)
    got = client.get(f"/api/colleagues/{ana['id']}", headers=member.headers).get_json()
    assert got["paused_until"] == "9999-12-31"
    again = client.post(f"/api/handoffs/{make_handoff(member)}/offers", json={"colleague_id": ana["id"]},
                        headers=member.headers)
    assert again.status_code == 409 and "takes no referrals" in again.get_json()["message"]
    candidates = client.get(f"/api/handoffs/{make_handoff(member)}/candidates", headers=member.headers).get_json()
    assert ana["id"] not in [c["colleague_id"] for c in candidates["candidates"]]


def test_a_changed_unsubscribe_address_changes_nothing(client, member, make_colleague):
    ana = make_colleague(name="Ana Ruiz", email="ana@example.org")
    r = client.post("/offers/unsubscribe/not-a-real-token", data="List-Unsubscribe=One-Click",
                    content_type="application/x-www-form-urlencoded")
    assert r.status_code == 400 and "This link does not work" in r.get_data(as_text=True)
    assert client.get(f"/api/colleagues/{ana['id']}", headers=member.headers).get_json()["paused_until"] is None
