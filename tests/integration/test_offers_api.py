"""Offering a client over the JSON API: who can be offered, and what the answer looks like."""

import pytest


@pytest.fixture
def app(mail_app):
    return mail_app


def post_offer(client, member, handoff_id, **body):
    return client.post(f"/api/handoffs/{handoff_id}/offers", json=body, headers=member.headers)


def test_an_offer_answers_201_with_the_offered_referral_open_for_72_hours(
    client, member, make_colleague, make_handoff
):
    ana = make_colleague(name="Ana Ruiz")
    handoff = make_handoff(member)
    r = post_offer(client, member, handoff, colleague_id=ana["id"])
    assert r.status_code == 201
    got = r.get_json()
    assert got["status"] == "offered" and got["id"] > 0
    assert (got["colleague_id"], got["handoff_id"], got["colleague_name"]) == (ana["id"], handoff, "Ana Ruiz")
    assert (got["offered_at"], got["expires_at"]) == ("2026-11-25T09:00:00+00:00", "2026-11-28T09:00:00+00:00")
    assert client.get(f"/api/referrals/{got['id']}", headers=member.headers).get_json() == got
    assert (
        client.get(f"/api/colleagues/{ana['id']}", headers=member.headers).get_json()["open_referrals"] == 1
    )


def test_another_members_handoff_answers_404(client, member, make_member, make_colleague, make_handoff):
    ana = make_colleague()
    other = make_member(name="Otto Lind", email="otto@example.com")
    assert post_offer(client, other, make_handoff(member), colleague_id=ana["id"]).status_code == 404
    assert post_offer(client, member, 999, colleague_id=ana["id"]).status_code == 404
    assert post_offer(client, member, make_handoff(member), colleague_id=999).status_code == 404
    assert client.get("/api/referrals/999", headers=member.headers).status_code == 404


def test_offers_need_a_token(client, member, make_handoff):
    assert client.post(f"/api/handoffs/{make_handoff(member)}/offers", json={"auto": True}).status_code == 401


@pytest.mark.parametrize(
    "body, field",
    [
        ({}, "colleague_id"),
        ({"colleague_id": "3"}, "colleague_id"),
        ({"colleague_id": 2.5}, "colleague_id"),
        ({"auto": False}, "colleague_id"),
        ({"auto": "yes"}, "auto"),
        ({"auto": True, "colleague_id": 3}, "auto"),
        ({"colleague_id": 3, "note": "hi"}, "note"),
    ],
)
def test_a_bad_offer_body_answers_422_naming_the_field(client, member, make_handoff, body, field):
    r = post_offer(client, member, make_handoff(member), **body)
    assert r.status_code == 422 and field in r.get_json()["errors"]["json"], r.get_json()


def test_auto_offers_the_first_eligible_candidate_of_the_ranking(
    app, client, member, make_colleague, make_handoff
):
    full = make_colleague(name="Full Fay", capacity=0)
    ana = make_colleague(name="Ana Ruiz")
    bo = make_colleague(name="Bo Berg")
    app.extensions["referral"].ranker = lambda session, handoff: [full["id"], bo["id"], ana["id"]]
    r = post_offer(client, member, make_handoff(member), auto=True)
    assert r.status_code == 201 and r.get_json()["colleague_name"] == "Bo Berg"


def test_auto_with_the_placeholder_ranking_never_picks_the_member(
    client, member, make_colleague, make_handoff
):
    ana = make_colleague(name="Ana Ruiz")
    r = post_offer(client, member, make_handoff(member), auto=True)
    assert r.status_code == 201 and r.get_json()["colleague_id"] == ana["id"]


def test_auto_without_any_candidate_answers_409_with_a_reason(client, member, make_colleague, make_handoff):
    make_colleague(capacity=0)
    r = post_offer(client, member, make_handoff(member), auto=True)
    assert r.status_code == 409 and "No colleague can take this client" in r.get_json()["message"]


RULES: dict[str, tuple[dict[str, object], str]] = {
    "full": ({"capacity": 0}, "no free place"),
    "paused today": ({"paused_until": "2026-11-25"}, "takes no referrals until after 2026-11-25"),
    "dealbreaker": ({"dealbreakers": ["late_payments"]}, "does not take clients"),
    "local elsewhere": ({"remote": False, "location": "Lisbon"}, "serves only clients in Lisbon"),
}


@pytest.mark.parametrize("rule", RULES)
def test_a_colleague_who_fails_a_hard_rule_is_refused_with_the_reason(
    client, member, make_colleague, make_handoff, rule
):
    colleague_fields, message = RULES[rule]
    c = make_colleague(**colleague_fields)
    r = post_offer(client, member, make_handoff(member), colleague_id=c["id"])
    assert r.status_code == 409 and message in r.get_json()["message"]


def test_pauses_end_and_local_colleagues_take_local_clients(client, member, make_colleague, make_handoff):
    paused = make_colleague(paused_until="2026-11-24")
    local = make_colleague(remote=False, location="porto")
    assert post_offer(client, member, make_handoff(member), colleague_id=paused["id"]).status_code == 201
    assert post_offer(client, member, make_handoff(member), colleague_id=local["id"]).status_code == 201


def test_nobody_can_be_offered_their_own_client(client, member, make_handoff):
    r = post_offer(client, member, make_handoff(member), colleague_id=member.colleague_id)
    assert r.status_code == 409 and "yourself" in r.get_json()["message"]


def test_a_client_is_offered_to_one_colleague_at_a_time(client, member, make_colleague, make_handoff):
    ana, bo = make_colleague(name="Ana Ruiz"), make_colleague(name="Bo Berg")
    handoff = make_handoff(member)
    assert post_offer(client, member, handoff, colleague_id=ana["id"]).status_code == 201
    r = post_offer(client, member, handoff, colleague_id=bo["id"])
    assert r.status_code == 409 and "already offered to Ana Ruiz" in r.get_json()["message"]


def test_after_a_withdrawal_the_client_can_be_offered_again(client, member, make_colleague, make_handoff):
    ana = make_colleague(name="Ana Ruiz")
    handoff = make_handoff(member)
    first = post_offer(client, member, handoff, colleague_id=ana["id"]).get_json()
    client.post(f"/api/referrals/{first['id']}/withdraw", headers=member.headers)
    again = post_offer(client, member, handoff, colleague_id=ana["id"])
    assert again.status_code == 201 and again.get_json()["id"] != first["id"]


def test_the_offer_records_the_disclosure_version_it_shows(
    app, client, member, make_colleague, make_handoff, clock
):
    from referral.domain.model import Handoff

    handoff = make_handoff(member)
    with app.extensions["referral"].uow() as uow:
        uow.session.get(Handoff, handoff).revise_disclosure("Second, fuller warning.", clock())
        uow.commit()
    got = post_offer(client, member, handoff, colleague_id=make_colleague()["id"]).get_json()
    assert got["disclosure_version"] == 2


def test_the_openapi_document_lists_the_offer_routes(client):
    paths = client.get("/api/openapi.json").get_json()["paths"]
    assert {
        "/api/handoffs/{handoff_id}/offers",
        "/api/referrals/{referral_id}",
        "/api/referrals/{referral_id}/withdraw",
    } <= set(paths)


def test_a_member_offers_from_a_form_and_lands_on_the_referral_page(
    client, member, make_colleague, make_handoff, login
):
    ana = make_colleague(name="Ana Ruiz")
    handoff = make_handoff(member)
    login(member)
    r = client.post(
        "/referrals/offer",
        data={"handoff_id": str(handoff), "colleague_id": str(ana["id"])},
        follow_redirects=True,
    )
    page = r.get_data(as_text=True)
    assert "The offer is on its way" in page and "offered to Ana Ruiz" in page
    r = client.post(
        "/referrals/offer",
        data={"handoff_id": str(handoff), "auto": "on"},
        headers={"Referer": "/referrals/"},
        follow_redirects=True,
    )
    assert "already offered to Ana Ruiz" in r.get_data(as_text=True)
    assert "Quentin Gallardo" in client.get("/referrals/").get_data(as_text=True)
