"""An offer by email, answered through its links: what the colleague and the member see."""

import hashlib
import re

import pytest

from tests.conftest import html_of, links_in, text_of
from tests.integration.conftest import CLIENT


@pytest.fixture
def app(mail_app):
    return mail_app


@pytest.fixture
def ana(make_colleague):
    return make_colleague(name="Ana Ruiz", email="ana@example.org", specialties=["bookkeeping"], capacity=2)


def offer(client, member, handoff_id, **body):
    r = client.post(f"/api/handoffs/{handoff_id}/offers", json=body, headers=member.headers)
    assert r.status_code == 201, r.get_json()
    return r.get_json()


def test_the_offer_mail_shows_needs_and_fair_warning_but_never_who_the_client_is(
    client, member, ana, make_handoff, smtp, work
):
    offer(client, member, make_handoff(member), colleague_id=ana["id"])
    work()
    msg = smtp.one("ana@example.org")
    text, html = text_of(msg), html_of(msg)
    for part in (text, html):
        assert "Monthly bookkeeping and payroll" in part
        assert "Frequent late payments" in part and "Invoice 114 paid 41 days late" in part
        assert "2 October 2026" in part
        assert "Pays every invoice about six weeks late" in part
        for secret in (CLIENT["name"], "Quentin", CLIENT["email"], CLIENT["phone"], CLIENT["company"]):
            assert secret not in part
    assert set(links_in(msg)) == {"accept", "decline"}
    assert msg["Message-ID"].startswith("<") and msg["From"] == "Referral Network <no-reply@referral.local>"
    assert msg["Reply-To"] == member.email
    assert "Maya Brenner would like to refer a client to you" == msg["Subject"]


def test_accepting_requires_ticking_the_fair_warning_then_both_sides_are_told(
    client, app, member, ana, make_handoff, smtp, work
):
    referral = offer(client, member, make_handoff(member), colleague_id=ana["id"])
    work()
    accept = links_in(smtp.one("ana@example.org"))["accept"]

    page = client.get(accept).get_data(as_text=True)
    assert "I have read the fair warning" in page and "Pays every invoice" in page
    assert CLIENT["name"] not in page and CLIENT["email"] not in page

    r = client.post(accept, data={})
    assert r.status_code == 422 and "confirm that you have read the fair warning" in r.get_data(as_text=True)
    assert (
        client.get(f"/api/referrals/{referral['id']}", headers=member.headers).get_json()["status"]
        == "offered"
    )

    r = client.post(accept, data={"acknowledged": "yes"})
    page = r.get_data(as_text=True)
    assert r.status_code == 200 and "the client is yours" in page
    for detail in (CLIENT["name"], CLIENT["email"], CLIENT["phone"], CLIENT["company"], member.email):
        assert detail in page
    work()
    details = smtp.one("ana@example.org", "Client details")
    assert CLIENT["email"] in text_of(details) and CLIENT["name"] in text_of(details)
    assert CLIENT["phone"] in html_of(details)
    told = smtp.one(member.email, "accepted")
    assert "Ana Ruiz accepted Quentin Gallardo" == told["Subject"]
    assert re.search(r"http://localhost:5000/referrals/\d+", text_of(told))

    got = client.get(f"/api/referrals/{referral['id']}", headers=member.headers).get_json()
    disclosure = "Pays every invoice about six weeks late, but always pays in the end."
    assert got["status"] == "accepted" and got["answered_at"] == "2026-11-25T09:00:00+00:00"
    assert (
        got["acknowledged_sha256"]
        == hashlib.sha256(disclosure.encode()).hexdigest()
        == got["disclosure_sha256"]
    )


def test_opening_a_link_changes_nothing(client, member, ana, make_handoff, smtp, work):
    referral = offer(client, member, make_handoff(member), colleague_id=ana["id"])
    work()
    links = links_in(smtp.one("ana@example.org"))
    for _ in range(2):
        assert client.get(links["accept"]).status_code == 200
        assert client.get(links["decline"]).status_code == 200
    work()
    assert (
        client.get(f"/api/referrals/{referral['id']}", headers=member.headers).get_json()["status"]
        == "offered"
    )
    assert len(smtp.messages) == 1


def test_declining_with_a_reason_tells_the_member_the_reason(client, member, ana, make_handoff, smtp, work):
    referral = offer(client, member, make_handoff(member), colleague_id=ana["id"])
    work()
    decline = links_in(smtp.one("ana@example.org"))["decline"]
    assert "A note" in client.get(decline).get_data(as_text=True)
    r = client.post(decline, data={"decline_code": "no_capacity", "reason": "Fully booked until spring."})
    assert r.status_code == 200 and "You declined the offer" in r.get_data(as_text=True)
    work()
    told = smtp.one(member.email, "declined")
    assert "Fully booked until spring." in text_of(told)
    got = client.get(f"/api/referrals/{referral['id']}", headers=member.headers).get_json()
    assert (got["status"], got["decline_reason"]) == ("declined", "Fully booked until spring.")
    assert not smtp.to("ana@example.org", "Client details")


def test_declining_without_a_note_is_fine(client, member, ana, make_handoff, smtp, work):
    offer(client, member, make_handoff(member), colleague_id=ana["id"])
    work()
    decline = links_in(smtp.one("ana@example.org"))["decline"]
    assert client.post(decline, data={"decline_code": "budget_too_low"}).status_code == 200
    work()
    told = text_of(smtp.one(member.email, "declined"))
    assert "Why: The budget is too low" in told and "They added no note." in told


def test_user_text_in_mail_is_escaped_in_html_and_intact_in_text(
    client, member, ana, make_handoff, smtp, work
):
    handoff = make_handoff(
        member,
        disclosure='Shouts at staff <script>alert("x")</script> & "jokes"',
        client={"needs": "A <b>bold</b> new website"},
    )
    offer(client, member, handoff, colleague_id=ana["id"])
    work()
    msg = smtp.one("ana@example.org")
    html = html_of(msg)
    assert "<script>" not in html and "&lt;script&gt;" in html and "&amp;" in html
    assert "<b>bold</b>" not in html and "&lt;b&gt;bold&lt;/b&gt;" in html
    assert '<script>alert("x")</script> & "jokes"' in text_of(msg)
    page = client.get(links_in(msg)["accept"]).get_data(as_text=True)
    assert "<script>alert" not in page and "&lt;script&gt;" in page


def test_the_member_reviews_the_letter_for_the_exit_strategy_and_sends_it_once(
    client, member, ana, make_handoff, smtp, work, login
):
    referral = offer(client, member, make_handoff(member, exit_strategy="take_blame"), colleague_id=ana["id"])
    work()
    client.post(links_in(smtp.one("ana@example.org"))["accept"], data={"acknowledged": "yes"})
    login(member)
    page = client.get(f"/referrals/{referral['id']}").get_data(as_text=True)
    assert "Dear Quentin," in page and "that is my doing, not yours" in page
    assert "ana@example.org" in page and "18 December 2026" in page and "Thank you" in page
    letter = page.split('id="letter-body"')[1].split("</textarea>")[0]
    assert "late" not in letter and "Pays every invoice" not in letter  # no reason reaches the client

    body = "Dear Quentin,\n\nA shorter letter of my own.\n\nMaya"
    r = client.post(
        f"/referrals/{referral['id']}/letter", data={"subject": "Your new bookkeeper", "body": body}
    )
    assert r.status_code == 302
    again = client.post(
        f"/referrals/{referral['id']}/letter", data={"subject": "x", "body": body}, follow_redirects=True
    )
    assert "sent already" in again.get_data(as_text=True)
    work()
    letter = smtp.one(CLIENT["email"])
    assert letter["Subject"] == "Your new bookkeeper" and "A shorter letter of my own." in text_of(letter)
    assert letter["Reply-To"] == member.email


def test_an_empty_letter_is_refused_beside_the_field(client, member, ana, make_handoff, smtp, work, login):
    referral = offer(client, member, make_handoff(member), colleague_id=ana["id"])
    work()
    client.post(links_in(smtp.one("ana@example.org"))["accept"], data={"acknowledged": "yes"})
    login(member)
    r = client.post(f"/referrals/{referral['id']}/letter", data={"subject": "Hello", "body": ""})
    assert r.status_code == 422 and 'id="body-error"' in r.get_data(as_text=True)


def test_the_mail_page_shows_what_went_to_whom_for_the_members_offers_only(
    client, member, make_member, ana, make_handoff, smtp, work, login
):
    offer(client, member, make_handoff(member), colleague_id=ana["id"])
    other = make_member(name="Otto Lind", email="otto@example.com")
    offer(
        client, other, make_handoff(other, client={"needs": "Otto's secret client"}), colleague_id=ana["id"]
    )
    login(member)
    page = client.get("/mail").get_data(as_text=True)
    assert "ana@example.org" in page and "queued" in page and "Otto" not in page
    work()
    page = client.get("/mail").get_data(as_text=True)
    assert "sent 25 Nov 09:00" in page and 'href="/mail"' in page
