"""Who owns a colleague record: no member steers another's offer, takes over an account, or erases
another's referrals. Through the real SMTP server, on SQLite and PostgreSQL."""

import pytest

from tests.conftest import links_in, text_of


@pytest.fixture
def app(mail_app):
    return mail_app


def offer(client, member, handoff_id, **body):
    r = client.post(f"/api/handoffs/{handoff_id}/offers", json=body, headers=member.headers)
    assert r.status_code == 201, r.get_json()
    return r.get_json()["id"]


def accept(client, msg):
    link = links_in(msg)["accept"]
    r = client.post(link, data={"acknowledged": "yes"})
    assert r.status_code == 200, r.get_data(as_text=True)[:500]


# --- item 2: offer steering ----------------------------------------------------------------------------


def test_the_member_who_added_a_colleague_cannot_repoint_their_email_while_anothers_offer_is_open(
    client, clock, make_member, make_colleague, make_handoff, smtp, work
):
    alice = make_member("Alice Adder", "alice@example.com")
    bob = make_member("Bob Sender", "bob@example.com")
    xavier = make_colleague(by=alice, name="Xavier Ng", email="xavier@example.org")
    offer(client, bob, make_handoff(bob), colleague_id=xavier["id"])
    work()

    r = client.patch(f"/api/colleagues/{xavier['id']}", json={"email": "alice+x@example.com"}, headers=alice.headers)

    assert r.status_code == 409 and "email" in r.get_json()["errors"]["json"], r.get_json()
    clock.advance(hours=25)
    work()  # the reminder goes where the offer went, not to Alice
    assert smtp.one("xavier@example.org", "Reminder")
    assert not smtp.to("alice+x@example.com")


def test_when_an_email_does_change_the_members_with_referrals_to_that_colleague_are_told(
    client, make_member, make_colleague, make_handoff, smtp, work
):
    alice = make_member("Alice Adder", "alice@example.com")
    bob = make_member("Bob Sender", "bob@example.com")
    xavier = make_colleague(by=alice, name="Xavier Ng", email="xavier@example.org")
    offer(client, bob, make_handoff(bob), colleague_id=xavier["id"])
    work()
    assert client.post(links_in(smtp.one("xavier@example.org"))["decline"], data={"decline_code": "other"}).status_code == 200

    r = client.patch(f"/api/colleagues/{xavier['id']}", json={"email": "xavier@new.example"}, headers=alice.headers)
    work()

    assert r.status_code == 200 and r.get_json()["email"] == "xavier@new.example"
    told = smtp.one("bob@example.com", "new email address")
    assert "Alice Adder changed the email of Xavier Ng" in text_of(told)
    assert "xavier@example.org" in text_of(told) and "xavier@new.example" in text_of(told)
    assert not smtp.to("alice@example.com", "new email address")  # she made the change


# --- item 3: account takeover --------------------------------------------------------------------------


def test_a_members_own_record_is_theirs_alone_even_for_whoever_added_it_first(
    client, login, make_member, make_colleague, make_handoff, smtp, work
):
    alice = make_member("Alice Adder", "alice@example.com")
    dora_entry = make_colleague(by=alice, name="Dora Lind", email="dora@example.org")
    dora = make_member("Dora Lind", "dora@example.org")  # `member create` takes over the record Alice added
    url = f"/api/colleagues/{dora_entry['id']}"

    assert client.patch(url, json={"email": "alice+dora@example.com"}, headers=alice.headers).status_code == 404
    assert client.patch(url, json={"name": "Not Dora"}, headers=alice.headers).status_code == 404
    assert client.delete(url, headers=alice.headers).status_code == 404
    assert client.get(url, headers=alice.headers).get_json()["email"] == "dora@example.org"

    # Dora still logs in, edits her own record, and her mail still reaches her
    login(dora)
    assert client.patch(url, json={"capacity": 4}, headers=dora.headers).status_code == 200
    offer(client, alice, make_handoff(alice), colleague_id=dora_entry["id"])
    work()
    assert smtp.one("dora@example.org", "would like to refer a client")
    assert not smtp.to("alice+dora@example.com")


def test_the_directory_offers_no_edit_of_a_members_own_record_to_anyone_else(
    client, login, make_member, make_colleague
):
    alice = make_member("Alice Adder", "alice@example.com")
    dora_entry = make_colleague(by=alice, name="Dora Lind", email="dora@example.org")
    make_member("Dora Lind", "dora@example.org")
    login(alice)

    page = client.get(f"/colleagues/{dora_entry['id']}").get_data(as_text=True)

    assert "Dora Lind" in page and f"/colleagues/{dora_entry['id']}/edit" not in page
    assert client.get(f"/colleagues/{dora_entry['id']}/edit").status_code == 404
    r = client.post(f"/colleagues/{dora_entry['id']}/edit", data={"name": "X", "email": "alice@evil.example",
                                                                  "specialties": "x", "capacity": "3"})
    assert r.status_code == 404


# --- item 4: deleting a colleague ----------------------------------------------------------------------


def test_removing_a_colleague_keeps_another_members_accepted_referral_to_them(
    client, login, make_member, make_colleague, make_handoff, smtp, work
):
    pat = make_member("Pat Adder", "pat@example.com")
    quinn = make_member("Quinn Sender", "quinn@example.com")
    yara = make_colleague(by=pat, name="Yara Haddad", email="yara@example.org")
    make_colleague(by=pat, name="Zoe Other", email="zoe@example.org")  # someone `auto` could pick instead
    handoff = make_handoff(quinn)
    referral = offer(client, quinn, handoff, colleague_id=yara["id"])
    work()
    accept(client, smtp.one("yara@example.org"))

    assert client.delete(f"/api/colleagues/{yara['id']}", headers=pat.headers).status_code == 204

    got = client.get(f"/api/referrals/{referral}", headers=quinn.headers)
    assert got.status_code == 200 and got.get_json()["status"] == "accepted"
    assert client.get(f"/api/handoffs/{handoff}", headers=quinn.headers).get_json()["status"] == "placed"
    r = client.post(f"/api/handoffs/{handoff}/offers", json={"auto": True}, headers=quinn.headers)
    assert r.status_code == 409 and not smtp.to("zoe@example.org")
    login(quinn)
    mail_page = client.get("/mail").get_data(as_text=True)
    assert "Client details: Quentin Gallardo" in mail_page and "yara@example.org" in mail_page


def test_a_removed_colleague_is_never_a_candidate_nor_offered_and_leaves_the_directory(
    client, make_member, make_colleague, make_handoff
):
    pat = make_member("Pat Adder", "pat@example.com")
    quinn = make_member("Quinn Sender", "quinn@example.com")
    yara = make_colleague(by=pat, name="Yara Haddad", email="yara@example.org")
    handoff = make_handoff(quinn)
    before = client.get(f"/api/handoffs/{handoff}/candidates", headers=quinn.headers).get_json()["candidates"]
    assert yara["id"] in [c["colleague_id"] for c in before]

    assert client.delete(f"/api/colleagues/{yara['id']}", headers=quinn.headers).status_code == 404  # not hers
    assert client.delete(f"/api/colleagues/{yara['id']}", headers=pat.headers).status_code == 204

    after = client.get(f"/api/handoffs/{handoff}/candidates", headers=quinn.headers).get_json()["candidates"]
    assert yara["id"] not in [c["colleague_id"] for c in after]
    r = client.post(f"/api/handoffs/{handoff}/offers", json={"colleague_id": yara["id"]}, headers=quinn.headers)
    assert r.status_code == 409 and "no longer in the network" in r.get_json()["message"]
    assert client.post(f"/api/handoffs/{handoff}/offers", json={"auto": True}, headers=quinn.headers).status_code == 409
    assert client.get(f"/api/colleagues/{yara['id']}", headers=pat.headers).status_code == 404
    listed = client.get("/api/colleagues?q=yara", headers=pat.headers).get_json()
    assert listed == []


def test_adding_a_removed_colleagues_email_again_brings_the_record_back_with_its_history(
    client, make_member, make_colleague, make_handoff, smtp, work
):
    pat = make_member("Pat Adder", "pat@example.com")
    quinn = make_member("Quinn Sender", "quinn@example.com")
    yara = make_colleague(by=pat, name="Yara Haddad", email="yara@example.org")
    referral = offer(client, quinn, make_handoff(quinn), colleague_id=yara["id"])
    assert client.delete(f"/api/colleagues/{yara['id']}", headers=pat.headers).status_code == 204

    again = make_colleague(by=quinn, name="Yara Haddad", email="yara@example.org", capacity=5)

    assert again["id"] == yara["id"] and again["capacity"] == 5
    assert client.get(f"/api/referrals/{referral}", headers=quinn.headers).get_json()["status"] == "offered"
    assert client.patch(f"/api/colleagues/{yara['id']}", json={"capacity": 6}, headers=pat.headers).status_code == 404


# --- capacity lowered below the open offers -----------------------------------------------------------


def test_capacity_cannot_drop_below_open_offers_and_the_colleague_can_accept_each_of_them(
    client, make_member, make_colleague, make_handoff, smtp, work
):
    alice = make_member("Alice Adder", "alice@example.com")
    bob = make_member("Bob Sender", "bob@example.com")
    cleo = make_colleague(by=alice, name="Cleo Park", email="cleo@example.org", capacity=2)
    offer(client, alice, make_handoff(alice), colleague_id=cleo["id"])
    offer(client, bob, make_handoff(bob), colleague_id=cleo["id"])
    work()

    r = client.patch(f"/api/colleagues/{cleo['id']}", json={"capacity": 1}, headers=alice.headers)

    assert r.status_code == 409 and "capacity" in r.get_json()["errors"]["json"], r.get_json()
    for msg in smtp.to("cleo@example.org"):
        accept(client, msg)
    assert client.get(f"/api/colleagues/{cleo['id']}", headers=alice.headers).get_json()["open_referrals"] == 2
    assert client.patch(f"/api/colleagues/{cleo['id']}", json={"capacity": 2}, headers=alice.headers).status_code == 200
