"""Answer links that cannot be used any more: each gets a clear page, never a 500 or a second acceptance."""

import pytest

from tests.conftest import make_app, text_of


@pytest.fixture
def app(mail_app):
    return mail_app


def status(client, member, referral_id):
    return client.get(f"/api/referrals/{referral_id}", headers=member.headers).get_json()["status"]


def test_a_second_use_of_the_accept_link_says_so_and_accepts_nothing_more(
    client, member, offered, smtp, work
):
    _, links = offered
    assert client.post(links["accept"], data={"acknowledged": "yes"}).status_code == 200
    again = client.post(links["accept"], data={"acknowledged": "yes"})
    assert again.status_code == 409 and "This link was used already" in again.get_data(as_text=True)
    page = client.get(links["accept"])
    assert page.status_code == 409 and "used already" in page.get_data(as_text=True)
    work()
    assert len(smtp.to("ana@example.org", "Client details")) == 1
    assert len(smtp.to(member.email, "accepted")) == 1


def test_declining_after_accepting_is_refused_with_a_clear_page(client, member, offered):
    referral_id, links = offered
    client.post(links["accept"], data={"acknowledged": "yes"})
    r = client.post(links["decline"], data={"decline_code": "other", "reason": "changed my mind"})
    assert r.status_code == 409 and "You have already accepted this offer" in r.get_data(as_text=True)
    assert status(client, member, referral_id) == "accepted"


def test_accepting_after_declining_is_refused_with_a_clear_page(client, member, offered):
    referral_id, links = offered
    client.post(links["decline"], data={"decline_code": "other"})
    r = client.post(links["accept"], data={"acknowledged": "yes"})
    assert r.status_code == 409 and "You have already declined this offer" in r.get_data(as_text=True)
    assert status(client, member, referral_id) == "declined"


@pytest.mark.parametrize(
    "damage",
    [
        lambda t: t[:-3] + ("AAA" if not t.endswith("AAA") else "BBB"),  # signature changed
        lambda t: t[: len(t) // 2],  # cut off when copied
        lambda t: "not-a-token",
    ],
)
def test_a_tampered_link_gets_a_400_page_that_says_what_to_do(client, member, offered, damage):
    referral_id, links = offered
    bad = "/offers/" + damage(links["accept"].removeprefix("/offers/"))
    for r in (client.get(bad), client.post(bad, data={"acknowledged": "yes"})):
        page = r.get_data(as_text=True)
        assert r.status_code == 400 and "This link does not work" in page and "Open it again" in page
    assert status(client, member, referral_id) == "offered"


def test_a_link_signed_with_another_key_does_not_work(database_url, tmp_path, clock, client, member, offered):
    referral_id, _ = offered
    from datetime import timedelta

    from referral.adapters.links import LinkSigner

    forged = LinkSigner("someone-elses-key").make(referral_id, 2, "accept", clock() + timedelta(hours=1))
    assert client.post(f"/offers/{forged}", data={"acknowledged": "yes"}).status_code == 400
    assert status(client, member, referral_id) == "offered"


def test_answering_a_withdrawn_offer_says_it_was_withdrawn(client, member, offered, smtp, work):
    referral_id, links = offered
    r = client.post(f"/api/referrals/{referral_id}/withdraw", headers=member.headers)
    assert r.status_code == 200 and r.get_json()["status"] == "withdrawn"
    for r in (client.get(links["accept"]), client.post(links["accept"], data={"acknowledged": "yes"})):
        page = r.get_data(as_text=True)
        assert r.status_code == 410 and "This offer was withdrawn" in page and "Maya Brenner withdrew" in page
    work()
    assert "nothing for you to do" in text_of(smtp.one("ana@example.org", "withdrew"))
    assert status(client, member, referral_id) == "withdrawn"


def test_an_answered_offer_cannot_be_withdrawn(client, member, offered):
    referral_id, links = offered
    client.post(links["accept"], data={"acknowledged": "yes"})
    r = client.post(f"/api/referrals/{referral_id}/withdraw", headers=member.headers)
    assert r.status_code == 409 and "accepted cannot become withdrawn" in r.get_json()["message"]


def test_a_member_withdraws_from_the_referral_page(client, member, offered, login):
    referral_id, _ = offered
    login(member)
    assert "Withdraw the offer" in client.get(f"/referrals/{referral_id}").get_data(as_text=True)
    r = client.post(f"/referrals/{referral_id}/withdraw", follow_redirects=True)
    assert (
        "The offer is withdrawn" in r.get_data(as_text=True)
        and status(client, member, referral_id) == "withdrawn"
    )
    r = client.post(f"/referrals/{referral_id}/withdraw", follow_redirects=True)
    assert "can no longer be withdrawn" in r.get_data(as_text=True)


def test_an_expired_link_says_until_when_the_offer_was_open(client, member, offered, clock):
    referral_id, links = offered
    clock.advance(hours=72)
    r = client.get(links["accept"])
    assert r.status_code == 410 and "28 November 2026 at 09:00 UTC" in r.get_data(as_text=True)
    r = client.post(links["accept"], data={"acknowledged": "yes"})
    assert r.status_code == 410 and status(client, member, referral_id) == "offered"  # the worker expires it


def test_link_pages_need_no_login_but_keep_csrf(database_url, tmp_path, clock, smtp, make_handoff, offered):
    _, links = offered
    app = make_app(database_url, tmp_path, clock, ENV={"SMTP_URL": smtp.url}, WTF_CSRF_ENABLED=True)
    try:
        browser = app.test_client()
        page = browser.get(links["accept"]).get_data(as_text=True)
        assert 'name="csrf_token"' in page
        r = browser.post(links["accept"], data={"acknowledged": "yes"})
        assert r.status_code == 400 and "This form has expired" in r.get_data(as_text=True)
        token = page.split('name="csrf_token" value="')[1].split('"')[0]
        r = browser.post(links["accept"], data={"acknowledged": "yes", "csrf_token": token})
        assert r.status_code == 200 and "the client is yours" in r.get_data(as_text=True)
    finally:
        app.extensions["referral"].engine.dispose()


def test_another_members_referral_page_and_api_answer_404(client, make_member, offered, login):
    referral_id, _ = offered
    other = make_member(name="Otto Lind", email="otto@example.com")
    assert client.get(f"/api/referrals/{referral_id}", headers=other.headers).status_code == 404
    assert client.post(f"/api/referrals/{referral_id}/withdraw", headers=other.headers).status_code == 404
    login(other)
    assert client.get(f"/referrals/{referral_id}").status_code == 404
    assert client.post(f"/referrals/{referral_id}/withdraw").status_code == 404


def test_the_handoff_says_whether_it_is_open_offered_or_placed(client, member, offered, make_colleague):
    referral_id, links = offered
    handoff_id = client.get(f"/api/referrals/{referral_id}", headers=member.headers).get_json()["handoff_id"]
    status = lambda: client.get(f"/api/handoffs/{handoff_id}", headers=member.headers).get_json()["status"]
    listed = lambda: {h["id"]: h["status"] for h in client.get("/api/handoffs", headers=member.headers).get_json()}
    assert status() == "offered" and listed()[handoff_id] == "offered"
    client.post(links["decline"], data={"decline_code": "other"})
    assert status() == "open" and listed()[handoff_id] == "open"
    bo = make_colleague(name="Bo Lind", email="bo@example.org")
    client.post(f"/api/handoffs/{handoff_id}/offers", json={"colleague_id": bo["id"]}, headers=member.headers)
    assert status() == "offered"


def test_an_accepted_handoff_is_placed(client, member, offered):
    referral_id, links = offered
    handoff_id = client.get(f"/api/referrals/{referral_id}", headers=member.headers).get_json()["handoff_id"]
    client.post(links["accept"], data={"acknowledged": "yes"})
    assert client.get(f"/api/handoffs/{handoff_id}", headers=member.headers).get_json()["status"] == "placed"


def test_the_member_reading_the_offer_mail_cannot_answer_in_the_colleagues_name(client, member, offered, login):
    referral_id, links = offered
    login(member)
    for page in ("/mail", f"/referrals/{referral_id}"):
        html = client.get(page).get_data(as_text=True)
        assert "would like to refer a client to you" in html  # the copy is there to read...
        assert links["accept"] not in html and links["decline"] not in html  # ...without the links
        assert "personal link" in html
