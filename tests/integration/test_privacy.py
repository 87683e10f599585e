"""A client's personal data can be erased (on request, or by the worker after the retention period),
stored mail included, while dates, codes and the disclosure's SHA-256 stay; a member can export theirs."""

import hashlib
import json
from html import unescape

import pytest
from sqlalchemy import select

from referral.adapters import orm
from tests.conftest import links_in, make_app
from tests.integration.conftest import CLIENT

DISCLOSURE = "Pays every invoice about six weeks late, but always pays in the end."
PERSONAL = (CLIENT["name"], CLIENT["email"], CLIENT["phone"], CLIENT["company"], CLIENT["needs"], DISCLOSURE,
            "Invoice 114 paid 41 days late")


@pytest.fixture
def app(mail_app):
    return mail_app


def stored_mail(app) -> list:
    with app.extensions["referral"].engine.connect() as conn:
        return conn.execute(select(orm.outbox).order_by(orm.outbox.c.id)).all()


def accepted_handoff(client, member, make_colleague, make_handoff, smtp, work) -> tuple[int, int]:
    """Ana accepted the client through her emailed link; every mail about it was sent."""
    ana = make_colleague(name="Ana Ruiz", email="ana@example.org")
    handoff = make_handoff(member)
    referral = client.post(f"/api/handoffs/{handoff}/offers", json={"colleague_id": ana["id"]},
                           headers=member.headers).get_json()["id"]
    work()
    assert client.post(links_in(smtp.one("ana@example.org"))["accept"], data={"acknowledged": "yes"}).status_code == 200
    work()
    return handoff, referral


def test_erasing_a_client_blanks_their_data_everywhere_and_keeps_the_record(
        app, client, member, make_colleague, make_handoff, smtp, work):
    handoff, referral = accepted_handoff(client, member, make_colleague, make_handoff, smtp, work)
    before = client.get(f"/api/handoffs/{handoff}", headers=member.headers).get_json()
    assert any(CLIENT["name"] in m.subject or CLIENT["email"] in m.text_body for m in stored_mail(app))

    r = client.delete(f"/api/handoffs/{handoff}/client", headers=member.headers)
    assert r.status_code == 204

    after = client.get(f"/api/handoffs/{handoff}", headers=member.headers).get_json()
    assert after["client"] == {"erased": True}
    assert after["reasons"] == before["reasons"] and after["created_at"] == before["created_at"]
    assert [f["date"] for f in after["facts"]] == [f["date"] for f in before["facts"]]
    assert after["disclosures"][0]["sha256"] == hashlib.sha256(DISCLOSURE.encode()).hexdigest()
    got = client.get(f"/api/referrals/{referral}", headers=member.headers).get_json()
    assert got["status"] == "accepted" and got["acknowledged_sha256"] == after["disclosures"][0]["sha256"]
    everything = json.dumps(after) + json.dumps(got) + repr(stored_mail(app))
    everything += client.get("/api/export", headers=member.headers).get_data(as_text=True)
    for value in PERSONAL:
        assert value not in everything, value
    assert client.delete(f"/api/handoffs/{handoff}/client", headers=member.headers).status_code == 204  # again


def test_another_members_client_cannot_be_erased(client, member, make_member, make_handoff):
    otto = make_member(name="Otto Lind", email="otto@example.com")
    handoff = make_handoff(member)
    assert client.delete(f"/api/handoffs/{handoff}/client", headers=otto.headers).status_code == 404
    assert client.get(f"/api/handoffs/{handoff}", headers=member.headers).get_json()["client"]["name"] == CLIENT["name"]


def test_mail_not_yet_sent_about_an_erased_client_is_never_sent_and_shows_as_failed(
        app, client, member, make_colleague, make_handoff, smtp, work, login):
    ana = make_colleague(name="Ana Ruiz", email="ana@example.org")
    handoff = make_handoff(member)
    client.post(f"/api/handoffs/{handoff}/offers", json={"colleague_id": ana["id"]}, headers=member.headers)
    client.delete(f"/api/handoffs/{handoff}/client", headers=member.headers)
    work()
    assert smtp.to("ana@example.org") == []
    login(member)
    assert "the client's personal data was erased" in unescape(client.get("/mail").get_data(as_text=True))


def test_the_erase_button_needs_a_ticked_confirmation(client, member, make_handoff, login):
    handoff = make_handoff(member)
    login(member)
    page = unescape(client.get(f"/handoffs/{handoff}").get_data(as_text=True))
    assert "Erase the client's personal data" in page
    r = client.post(f"/handoffs/{handoff}/client/erase", data={}, follow_redirects=True)
    assert "Nothing was erased" in r.get_data(as_text=True)
    assert CLIENT["name"] in client.get(f"/handoffs/{handoff}").get_data(as_text=True)
    r = client.post(f"/handoffs/{handoff}/client/erase", data={"confirm": "on"}, follow_redirects=True)
    page = r.get_data(as_text=True)
    assert r.status_code == 200 and "personal data is erased" in page and CLIENT["name"] not in page


@pytest.fixture
def retention_app(database_url, tmp_path, clock, smtp):
    app = make_app(database_url, tmp_path, clock, ENV={"SMTP_URL": smtp.url, "CLIENT_RETENTION_DAYS": "30",
                                                       "OFFER_EXPIRY_HOURS": "2000"})
    yield app
    app.extensions["referral"].engine.dispose()


def test_the_worker_erases_clients_kept_past_the_retention_period(
        retention_app, client, clock, member, make_colleague, make_handoff):
    """The same database, its worker run with CLIENT_RETENTION_DAYS=30 (and offers that outlast that)."""
    never_offered, waiting = make_handoff(member), make_handoff(member)
    ana = make_colleague(name="Ana Ruiz", email="ana@example.org")
    client.post(f"/api/handoffs/{waiting}/offers", json={"colleague_id": ana["id"]}, headers=member.headers)

    def work() -> str:
        r = retention_app.test_cli_runner().invoke(args=["outbox", "work", "--once"])
        assert r.exit_code == 0, r.output
        return r.output

    def client_of(handoff: int) -> dict:
        return client.get(f"/api/handoffs/{handoff}", headers=member.headers).get_json()["client"]

    clock.advance(days=29)
    work()
    assert client_of(never_offered)["name"] == CLIENT["name"]
    clock.advance(days=2)
    assert "1 client erased" in work()
    assert client_of(never_offered) == {"erased": True}
    assert client_of(waiting)["name"] == CLIENT["name"]  # an offer still waits for an answer


def test_the_export_holds_everything_about_the_member_and_no_secrets(
        app, client, member, make_colleague, make_handoff, smtp, work, login):
    handoff, _ = accepted_handoff(client, member, make_colleague, make_handoff, smtp, work)
    client.post("/api/connections", json={"colleague_id": make_colleague(name="Cleo Marsh")["id"]},
                headers=member.headers)
    data = client.get("/api/export", headers=member.headers).get_json()
    assert set(data) >= {"member", "colleagues", "connections", "handoffs", "ledger", "mail"}
    assert data["member"]["profile"]["email"] == member.email
    assert {c["name"] for c in data["colleagues"]} == {"Ana Ruiz", "Cleo Marsh"}
    assert [c["name"] for c in data["connections"]] == ["Cleo Marsh"]
    [h] = data["handoffs"]
    assert h["client_name"] == CLIENT["name"] and h["facts"][0]["text"] == "Invoice 114 paid 41 days late"
    assert h["disclosures"][0]["text"] == DISCLOSURE and h["referrals"][0]["status"] == "accepted"
    assert any("accepted" in event["detail"] for event in h["history"])  # the handoff's audit trail
    assert {"reviews", "dispatches", "client_changes"} <= set(h)
    assert any(row["name"] == "Ana Ruiz" and row["given"] == 1 for row in data["ledger"])
    assert any("accepted" in m["subject"] for m in data["mail"])
    text = json.dumps(data)
    assert member.token not in text and "scrypt$" not in text and "token_hash" not in text

    login(member)
    r = client.get("/settings/export")
    assert r.status_code == 200 and r.headers["Content-Disposition"].startswith("attachment;")
    assert json.loads(r.get_data())["handoffs"][0]["id"] == handoff
    assert "Download my data" in client.get("/settings/").get_data(as_text=True)
