"""What happens when a colleague does not answer, or says no: reminders, expiry, the next candidate."""

import pytest

from tests.conftest import links_in, make_app, text_of


@pytest.fixture
def app(mail_app):
    return mail_app



def offer(client, member, handoff, colleague):
    r = client.post(
        f"/api/handoffs/{handoff}/offers", json={"colleague_id": colleague["id"]}, headers=member.headers
    )
    assert r.status_code == 201, r.get_json()
    return r.get_json()["id"]


def status(client, member, referral_id):
    return client.get(f"/api/referrals/{referral_id}", headers=member.headers).get_json()["status"]


def test_one_reminder_goes_out_after_24_hours_with_links_that_work(
    client, member, three, make_handoff, smtp, work, clock
):
    referral = offer(client, member, make_handoff(member), three[0])
    work()
    clock.advance(hours=23, minutes=59)
    work()
    assert len(smtp.to("ana@example.org")) == 1
    clock.advance(minutes=1)
    work()
    reminder = smtp.one("ana@example.org", "Reminder")
    assert "stays open until 28 November 2026 at 09:00 UTC" in text_of(reminder)
    clock.advance(hours=24)
    work()
    assert len(smtp.to("ana@example.org", "Reminder")) == 1
    assert client.post(links_in(reminder)["accept"], data={"acknowledged": "yes"}).status_code == 200
    assert status(client, member, referral) == "accepted"


def test_an_unanswered_offer_expires_after_72_hours_and_the_member_is_told(
    client, member, three, make_handoff, smtp, work, clock
):
    referral = offer(client, member, make_handoff(member), three[0])
    work()
    accept = links_in(smtp.one("ana@example.org"))["accept"]
    clock.advance(hours=71)
    work()
    assert status(client, member, referral) == "offered"
    clock.advance(hours=2)
    work()
    assert status(client, member, referral) == "expired"
    told = smtp.one(member.email, "expired")
    assert "did not answer" in text_of(told) and "You can offer the client to someone else" in text_of(told)
    r = client.post(accept, data={"acknowledged": "yes"})
    assert r.status_code == 410 and "expired" in r.get_data(as_text=True)
    assert not smtp.to("ana@example.org", "Client details")


def test_with_auto_cascade_a_decline_offers_the_next_candidate(
    client, member, three, make_handoff, smtp, work
):
    first = offer(client, member, make_handoff(member, auto_cascade=True), three[0])
    work()
    decline = links_in(smtp.one("ana@example.org"))["decline"]
    client.post(decline, data={"decline_code": "no_capacity", "reason": "Too busy"})
    work()
    nxt = next(c for c in three[1:] if smtp.to(c["email"]))  # Bo and Cy fit equally: either may be next
    assert f"offered to the next best candidate, {nxt['name']}" in text_of(smtp.one(member.email, "declined"))
    mail = smtp.one(nxt["email"])
    assert client.post(links_in(mail)["accept"], data={"acknowledged": "yes"}).status_code == 200
    assert status(client, member, first) == "declined"
    work()
    assert smtp.one(member.email, f"{nxt['name']} accepted")
    assert len([m for m in smtp.messages if "refer a client" in m["Subject"]]) == 2


def test_with_auto_cascade_an_expiry_offers_the_next_and_never_the_one_who_let_it_expire(
    client, member, three, make_handoff, smtp, work, clock
):
    offer(client, member, make_handoff(member, auto_cascade=True), three[1])  # Bo first, by hand
    work()
    asked = []
    for _ in range(2):  # Ana and Cy, in either order (equal fits), never Bo again
        clock.advance(hours=72)
        work()
        work()
        asked.append(next(c for c in (three[0], three[2]) if c not in asked and smtp.to(c["email"])))
    clock.advance(hours=72)
    work()
    assert "no other colleague to offer the client to" in text_of(smtp.one(member.email, asked[1]["name"]))
    assert len(smtp.to("bo@example.org")) == 1
    assert all(len(smtp.to(c["email"])) == 1 for c in asked)


def test_without_auto_cascade_nobody_else_is_asked(client, member, three, make_handoff, smtp, work):
    offer(client, member, make_handoff(member), three[0])
    work()
    client.post(links_in(smtp.one("ana@example.org"))["decline"], data={"decline_code": "other"})
    work()
    assert not smtp.to("bo@example.org") and not smtp.to("cy@example.org")
    assert "You can offer the client to someone else" in text_of(smtp.one(member.email, "declined"))


def test_a_colleague_who_declined_cannot_be_offered_the_same_client_again(
    client, member, three, make_handoff, smtp, work
):
    handoff = make_handoff(member)
    offer(client, member, handoff, three[0])
    work()
    client.post(links_in(smtp.one("ana@example.org"))["decline"], data={"decline_code": "other"})
    r = client.post(
        f"/api/handoffs/{handoff}/offers", json={"colleague_id": three[0]["id"]}, headers=member.headers
    )
    assert r.status_code == 409 and "already declined" in r.get_json()["message"]


def test_the_reminder_and_expiry_periods_come_from_the_environment(
    database_url, tmp_path, clock, smtp, three
):
    app = make_app(
        database_url,
        tmp_path,
        clock,
        ENV={"SMTP_URL": smtp.url, "OFFER_REMINDER_HOURS": "1", "OFFER_EXPIRY_HOURS": "2"},
    )
    try:
        from referral.domain.model import Handoff
        from referral.services.members import create_member
        from tests.integration.conftest import CLIENT

        svc = app.extensions["referral"]
        me, token = create_member(svc.uow(), "Mo Said", "mo@example.com", "pw-1234567890", clock())
        with svc.uow() as uow:
            h = Handoff(me, CLIENT, ["late_payments"], [], "Warn.", "bow_out", None, clock())
            uow.session.add(h)
            uow.session.flush()
            handoff = h.id
            uow.commit()
        client, runner = app.test_client(), app.test_cli_runner()
        r = client.post(
            f"/api/handoffs/{handoff}/offers",
            json={"colleague_id": three[0]["id"]},
            headers={"Authorization": f"Bearer {token}"},
        )
        assert r.get_json()["expires_at"] == "2026-11-25T11:00:00+00:00"
        clock.advance(hours=1)
        runner.invoke(args=["outbox", "work", "--once"])
        assert smtp.one("ana@example.org", "Reminder")
        clock.advance(hours=1)
        runner.invoke(args=["outbox", "work", "--once"])
        assert smtp.one("mo@example.com", "expired")
    finally:
        app.extensions["referral"].engine.dispose()
