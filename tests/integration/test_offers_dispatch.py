"""Decline codes, waterfall and broadcast: through the API, the real SMTP server and the emailed links."""

import pytest

from tests.conftest import links_in, text_of
from tests.integration.test_offers_concurrency import at_once


@pytest.fixture
def app(mail_app):
    return mail_app



def dispatch(client, member, handoff, colleagues, **body):
    return client.post(
        f"/api/handoffs/{handoff}/offers",
        json={"colleague_ids": [c["id"] for c in colleagues], **body},
        headers=member.headers,
    )


def referral(client, member, referral_id):
    return client.get(f"/api/referrals/{referral_id}", headers=member.headers).get_json()


def test_the_member_sees_the_decline_code_and_note_by_mail_and_in_the_api(
    client, member, three, make_handoff, smtp, work
):
    r = client.post(f"/api/handoffs/{make_handoff(member)}/offers", json={"colleague_id": three[0]["id"]},
                    headers=member.headers)
    work()
    decline = links_in(smtp.one("ana@example.org"))["decline"]
    page = client.get(decline).get_data(as_text=True)
    assert "Outside my field" in page and "A conflict of interest" in page
    missing = client.post(decline, data={"reason": "Not for me"})
    assert missing.status_code == 422 and "Choose why you decline." in missing.get_data(as_text=True)
    assert "Not for me" in missing.get_data(as_text=True)  # what was typed is kept
    assert referral(client, member, r.get_json()["id"])["status"] == "offered"
    assert client.post(decline, data={"decline_code": "outside_my_field", "reason": "I only do tax."}).status_code == 200
    got = referral(client, member, r.get_json()["id"])
    assert (got["decline_code"], got["decline_note"]) == ("outside_my_field", "I only do tax.")
    work()
    told = text_of(smtp.one(member.email, "declined"))
    assert "Why: Outside my field" in told and "I only do tax." in told


def test_a_no_capacity_decline_pauses_offers_to_that_colleague_for_two_weeks(
    client, member, three, make_handoff, smtp, work
):
    client.post(f"/api/handoffs/{make_handoff(member)}/offers", json={"colleague_id": three[0]["id"]},
                headers=member.headers)
    work()
    client.post(links_in(smtp.one("ana@example.org"))["decline"], data={"decline_code": "no_capacity"})
    ana = client.get(f"/api/colleagues/{three[0]['id']}", headers=member.headers).get_json()
    assert ana["paused_until"] == "2026-12-09"
    again = client.post(f"/api/handoffs/{make_handoff(member)}/offers", json={"colleague_id": three[0]["id"]},
                        headers=member.headers)
    assert again.status_code == 409 and "takes no referrals until after 2026-12-09" in again.get_json()["message"]


def test_a_waterfall_moves_on_after_a_decline_and_after_each_steps_own_timer(
    client, member, three, make_handoff, smtp, work, clock
):
    r = dispatch(client, member, make_handoff(member), three, mode="waterfall", hours_each=5)
    assert r.status_code == 201, r.get_json()
    body = r.get_json()
    assert body["mode"] == "waterfall" and [x["colleague_name"] for x in body["referrals"]] == ["Ana Ruiz"]
    work()
    assert not smtp.to("bo@example.org")
    client.post(links_in(smtp.one("ana@example.org"))["decline"], data={"decline_code": "location"})
    work()
    told = text_of(smtp.one(member.email, "declined"))
    assert "The location does not suit" in told and "offered to the next best candidate, Bo Berg" in told
    bo_offer = smtp.one("bo@example.org")
    assert "The offer expires on 25 November 2026 at 14:00 UTC" in text_of(bo_offer)  # 5 hours of its own
    clock.advance(hours=5)
    work()
    assert "Bo Berg did not answer" in text_of(smtp.one(member.email, "expired"))
    assert client.post(links_in(smtp.one("cy@example.org"))["accept"], data={"acknowledged": "yes"}).status_code == 200
    assert referral(client, member, body["referrals"][0]["id"])["dispatch_mode"] == "waterfall"


def test_a_waterfall_or_broadcast_names_every_colleague_a_hard_rule_keeps_out(
    client, member, make_colleague, make_handoff, smtp
):
    ok = make_colleague(name="Ana Ruiz")
    full = make_colleague(name="Bo Berg", capacity=0)
    picky = make_colleague(name="Cy Dunn", dealbreakers=["late_payments"])
    for mode in ("waterfall", "broadcast"):
        r = dispatch(client, member, make_handoff(member), [ok, full, picky], mode=mode)
        assert r.status_code == 422
        problems = r.get_json()["errors"]["json"]["colleague_ids"]
        assert len(problems) == 2
        assert "Bo Berg has no free place" in problems[0] and f"Colleague {full['id']}" in problems[0]
        assert "Cy Dunn does not take clients" in problems[1]
    assert not smtp.messages  # nothing was offered
    r = dispatch(client, member, make_handoff(member), [ok, ok], mode="broadcast")
    assert r.status_code == 422 and "Each colleague once." in str(r.get_json()["errors"])


def test_a_broadcast_offers_everyone_at_once_and_the_first_accept_wins(
    client, member, three, make_handoff, smtp, work
):
    r = dispatch(client, member, make_handoff(member), three, mode="broadcast", hours=48)
    assert r.status_code == 201
    body = r.get_json()
    assert body["mode"] == "broadcast" and {x["status"] for x in body["referrals"]} == {"offered"}
    work()
    links = {c["email"]: links_in(smtp.one(c["email"])) for c in three}
    assert client.post(links["bo@example.org"]["accept"], data={"acknowledged": "yes"}).status_code == 200
    work()
    for other in ("ana@example.org", "cy@example.org"):
        note = text_of(smtp.one(other, "placed"))
        assert "Another colleague accepted first" in note and "nothing for you to do" in note
        late = client.post(links[other]["accept"], data={"acknowledged": "yes"})
        assert late.status_code == 410 and "This client has been placed" in late.get_data(as_text=True)
    statuses = sorted(referral(client, member, x["id"])["status"] for x in body["referrals"])
    assert statuses == ["accepted", "withdrawn", "withdrawn"]


def test_simultaneous_accepts_of_a_broadcast_give_the_client_to_exactly_one_colleague(
    app, client, member, three, make_handoff, smtp, work
):
    body = dispatch(client, member, make_handoff(member), three, mode="broadcast", hours=48).get_json()
    work()
    accepts = [links_in(smtp.one(c["email"]))["accept"] for c in three]
    results = at_once(app, *(lambda c, a=a: c.post(a, data={"acknowledged": "yes"}) for a in accepts))
    assert sorted(r.status_code for r in results) == [200, 410, 410]
    statuses = [referral(client, member, x["id"])["status"] for x in body["referrals"]]
    assert sorted(statuses) == ["accepted", "withdrawn", "withdrawn"]
    work()
    winner = three[statuses.index("accepted")]
    assert len(smtp.to(member.email, "accepted")) == 1
    assert [m["To"] for m in smtp.messages if "Client details" in m["Subject"]] == [winner["email"]]
    assert len([m for m in smtp.messages if "placed" in m["Subject"]]) == 2
