"""A second member reaches none of the first member's handoffs, referrals, clients, mail or outcomes.

The routes are the app's own: every rule with an ``<int:...>`` id. Each is either asked with
the first member's ids and must answer 404, or listed as a view of the shared network (the
directory is everyone's) and must show the second member only their own side of it.
"""

import pytest

from tests.integration.security_world import build, log_in


@pytest.fixture
def world(app, client, member, make_colleague, clock):
    return build(app, client, member, make_colleague, clock)


@pytest.fixture
def otto(make_member):
    return make_member(name="Otto Lind", email="otto@example.com")


def ids_of(w, member):
    from tests.integration.test_security_csrf import first_token

    return {"handoff_id": w.handoff, "referral_id": w.accepted, "colleague_id": w.ana["id"],
            "token_id": first_token(member), "index": 0}


# (method, rule) -> JSON body; every one answers 404 to a second member
PRIVATE = {
    ("GET", "/api/handoffs/<int:handoff_id>"): None,
    ("GET", "/api/handoffs/<int:handoff_id>/candidates"): None,
    ("POST", "/api/handoffs/<int:handoff_id>/disclosure"): {"disclosure": "Mine now."},
    ("POST", "/api/handoffs/<int:handoff_id>/offers"): {"auto": True},
    ("GET", "/api/referrals/<int:referral_id>"): None,
    ("POST", "/api/referrals/<int:referral_id>/withdraw"): None,
    ("POST", "/api/referrals/<int:referral_id>/outcome"): {"note": "Mine now."},
    ("PATCH", "/api/colleagues/<int:colleague_id>"): {"capacity": 0},
    ("DELETE", "/api/colleagues/<int:colleague_id>"): None,
    ("POST", "/api/handoffs/<int:handoff_id>/terms/<int:index>/fix"): {},
    ("POST", "/api/handoffs/<int:handoff_id>/reviews"): {"reviewer_email": "otto@example.com"},
    ("POST", "/api/handoffs/<int:handoff_id>/letter"): {"body": "Mine now.", "go_ahead": True},
    ("POST", "/api/handoffs/<int:handoff_id>/letter/sent"): None,
    ("POST", "/api/handoffs/<int:handoff_id>/client-replied"): None,
    ("POST", "/api/handoffs/<int:handoff_id>/close"): None,
    ("POST", "/api/handoffs/<int:handoff_id>/retrospective"): {"next_time": "Mine now."},
    ("POST", "/handoffs/<int:handoff_id>/terms/<int:index>/fix"): {},
    ("POST", "/handoffs/<int:handoff_id>/reviews"): {"reviewer_email": "otto@example.com"},
    ("POST", "/handoffs/<int:handoff_id>/letter"): {"body": "Mine now.", "go_ahead": "on"},
    ("POST", "/handoffs/<int:handoff_id>/client-replied"): {},
    ("POST", "/handoffs/<int:handoff_id>/close"): {},
    ("POST", "/handoffs/<int:handoff_id>/retrospective"): {"next_time": "Mine now."},
    ("GET", "/handoffs/<int:handoff_id>"): None,
    ("POST", "/handoffs/<int:handoff_id>/disclosure"): {"disclosure": "Mine now."},
    ("POST", "/handoffs/<int:handoff_id>/client"): {"client.name": "Mine now", "client.email": "m@example.org",
                                                    "client.needs": "Mine now."},
    ("GET", "/referrals/<int:referral_id>"): None,
    ("POST", "/referrals/<int:referral_id>/withdraw"): {},
    ("POST", "/referrals/<int:referral_id>/reopen"): {"reason": "Mine now."},
    ("POST", "/referrals/<int:referral_id>/letter"): {"subject": "Hi", "body": "Mine now."},
    ("POST", "/ledger/referrals/<int:referral_id>/outcome"): {"note": "Mine now."},
    ("GET", "/colleagues/<int:colleague_id>/edit"): None,
    ("POST", "/colleagues/<int:colleague_id>/edit"): {"name": "X", "email": "x@example.org", "specialties": "x"},
    ("POST", "/colleagues/<int:colleague_id>/pause"): {"paused_until": "2026-12-24"},
    ("POST", "/colleagues/<int:colleague_id>/delete"): {},
    ("DELETE", "/api/handoffs/<int:handoff_id>/client"): None,
    ("POST", "/handoffs/<int:handoff_id>/client/erase"): {"confirm": "on"},
    ("POST", "/settings/tokens/<int:token_id>/revoke"): {},
    ("POST", "/settings/tokens/<int:token_id>/rotate"): {},
}

# the shared network: every member sees these colleagues, with their own ledger alongside
SHARED = {
    ("GET", "/api/colleagues/<int:colleague_id>"),
    ("GET", "/api/ledger/<int:colleague_id>"),
    ("GET", "/colleagues/<int:colleague_id>"),
    ("POST", "/colleagues/<int:colleague_id>/connect"),
    ("GET", "/network/colleagues/<int:colleague_id>.json"),
}


def test_every_route_with_an_id_is_covered(app):
    rules = {(m, r.rule) for r in app.url_map.iter_rules() if "<int:" in r.rule
             for m in r.methods - {"HEAD", "OPTIONS"}}
    assert rules == set(PRIVATE) | SHARED


def fill(rule: str, ids: dict) -> str:
    for name, value in ids.items():
        rule = rule.replace(f"<int:{name}>", str(value))
    return rule


@pytest.mark.parametrize("method, rule", sorted(k for k in PRIVATE if k[1].startswith("/api/")))
def test_another_members_data_answers_404_in_the_api(client, member, world, otto, method, rule):
    r = client.open(fill(rule, ids_of(world, member)), method=method, json=PRIVATE[(method, rule)],
                    headers=otto.headers)
    assert r.status_code == 404, r.get_json()
    assert set(r.get_json()) >= {"code", "status", "message"}


@pytest.mark.parametrize("method, rule", sorted(k for k in PRIVATE if not k[1].startswith("/api/")))
def test_another_members_data_answers_404_on_the_pages(client, member, world, otto, method, rule):
    log_in(client, otto)
    r = client.open(fill(rule, ids_of(world, member)), method=method, data=PRIVATE[(method, rule)])
    assert r.status_code == 404, r.get_data(as_text=True)[:300]
    assert "Quentin" not in r.get_data(as_text=True)


def test_nothing_changed_after_the_second_members_attempts(client, member, world, otto):
    for (method, rule), body in PRIVATE.items():
        if rule.startswith("/api/"):
            client.open(fill(rule, ids_of(world, member)), method=method, json=body, headers=otto.headers)
    h = client.get(f"/api/handoffs/{world.handoff}", headers=member.headers).get_json()
    assert h["client"]["name"] == "Quentin Gallardo"  # not erased
    assert len(h["disclosures"]) == 1 and h["disclosure"].startswith("Pays every invoice")
    assert client.get(f"/api/referrals/{world.offered}", headers=member.headers).get_json()["status"] == "offered"
    assert client.get(f"/api/referrals/{world.accepted}", headers=member.headers).get_json()["status"] == "accepted"
    ana = client.get(f"/api/colleagues/{world.ana['id']}", headers=member.headers).get_json()
    assert ana["capacity"] == 3


def test_the_shared_network_shows_a_second_member_only_their_own_side(client, member, world, otto):
    """Colleagues are the network's; the client, the mail and the ledger with them stay Maya's."""
    ben = world.ben["id"]
    assert client.get(f"/api/ledger/{ben}", headers=member.headers).get_json()["given"] == 1
    assert client.get(f"/api/ledger/{ben}", headers=otto.headers).get_json()["given"] == 0
    log_in(client, otto)
    panel = client.get(f"/network/colleagues/{ben}.json").get_json()
    assert panel["ledger"]["given"] == 0
    for page in (f"/colleagues/{ben}", "/mail", "/referrals/", "/handoffs/", "/ledger/", "/dashboard/"):
        text = client.get(page).get_data(as_text=True)
        assert "Quentin" not in text and "Gallardo" not in text, page
    assert client.get("/api/handoffs", headers=otto.headers).get_json() == []
    r = client.post("/referrals/offer", data={"handoff_id": str(world.fresh_handoff), "colleague_id": str(ben)})
    assert r.status_code == 404
    r = client.get(f"/referrals/preview?handoff_id={world.fresh_handoff}&colleague_id={ben}")
    assert r.status_code == 404 and "Quentin" not in r.get_data(as_text=True)
