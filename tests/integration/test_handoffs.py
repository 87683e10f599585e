"""Submitting an outgoing client and getting colleagues ranked for it (API and form)."""

import re
from datetime import date, datetime
from typing import Any

import pytest

HANDOFF: dict[str, Any] = {  # a JSON body: its values differ in type by field
    "client": {"name": "Owen Pritchard", "email": "owen@example.co.uk", "industry": "restaurant",
               "location": "Leeds", "needs": "Someone to do our bookeeping and payroll every month"},
    "reasons": ["late_payments"],
    "facts": [{"date": "2026-03-02", "text": "Invoice 114 paid 41 days late"}],
    "disclosure": "Invoices were paid 30 to 45 days late this year.",
    "exit_strategy": "refer_elsewhere",
    "finish_by": "2026-12-15",
}


def post(client, member, body=None, **changes):
    body = {**(body or HANDOFF), **changes}
    return client.post("/api/handoffs", json=body, headers=member.headers)


@pytest.fixture
def network(make_colleague):
    return {
        "book": make_colleague(name="Ana Ruiz", specialties=["bookkeeping", "payroll", "Xero"],
                               target_clientele="restaurants and cafés"),
        "book2": make_colleague(name="Ben Ode", specialties=["bookkeeping", "VAT returns"],
                                target_clientele="charities and community groups"),
        "photo": make_colleague(name="Tom Park", specialties=["wedding photography"], target_clientele="couples"),
    }


def ids(resp):
    return [c["colleague_id"] for c in resp.get_json()["candidates"]]


def test_submitting_a_handoff_answers_201_with_ranked_explained_candidates(client, member, network):
    r = post(client, member)
    assert r.status_code == 201
    body = r.get_json()
    assert body["status"] == "open" and body["id"] > 0
    assert ids(r)[:2] == [network["book"]["id"], network["book2"]["id"]]
    assert network["photo"]["id"] not in ids(r)
    best = body["candidates"][0]
    assert 0 <= best["score"] <= 100 and best["explanation"]
    assert any("bookkeeping" in line for line in best["explanation"])


def test_candidates_can_be_asked_again_with_a_limit(client, member, network):
    handoff_id = post(client, member).get_json()["id"]
    r = client.get(f"/api/handoffs/{handoff_id}/candidates?limit=1", headers=member.headers)
    assert r.status_code == 200 and ids(r) == [network["book"]["id"]]
    assert client.get(f"/api/handoffs/{handoff_id}/candidates?limit=0", headers=member.headers).status_code == 422


def test_a_colleague_edited_elsewhere_is_ranked_by_the_next_request(client, member, network):
    handoff_id = post(client, member).get_json()["id"]
    client.patch(f"/api/colleagues/{network['book']['id']}", json={"paused_until": "2027-01-01"}, headers=member.headers)
    r = client.get(f"/api/handoffs/{handoff_id}/candidates", headers=member.headers)
    assert network["book"]["id"] not in ids(r)


@pytest.mark.parametrize("path, value", [
    (("client", "name"), ""), (("client", "email"), "nope"), (("client", "needs"), ""),
    (("reasons",), []), (("reasons",), ["grumpy"]), (("facts",), [{"date": "yesterday", "text": "x"}]),
    (("facts",), [{"text": "no date"}]), (("disclosure",), ""), (("exit_strategy",), "run_away"),
    (("finish_by",), "soon"),
])
def test_each_handoff_rule_names_the_field(client, member, path, value):
    body = {**HANDOFF, "client": dict(HANDOFF["client"])}
    target = body
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    r = post(client, member, body)
    assert r.status_code == 422
    errors = r.get_json()["errors"]["json"]
    assert path[0] in errors and (len(path) == 1 or path[1] in errors[path[0]])


def test_the_tone_check_warns_but_does_not_block(client, member, network):
    r = post(client, member, disclosure="He NEVER pays on time!!!")
    assert r.status_code == 201
    kinds = {w["kind"] for w in r.get_json()["tone"]}
    assert {"absolute", "shouting"} <= kinds


def test_the_disclosure_is_stored_unchanged_and_revisions_keep_every_version(client, member):
    text = "  Paid late, see facts.\nTwice.  "
    handoff_id = post(client, member, disclosure=text).get_json()["id"]
    r = client.post(f"/api/handoffs/{handoff_id}/disclosure", json={"disclosure": "Paid 41 days late."},
                    headers=member.headers)
    assert r.status_code == 201
    versions = r.get_json()["disclosures"]
    assert [v["version"] for v in versions] == [1, 2]
    assert versions[0]["text"] == text.strip()
    import hashlib
    assert versions[0]["sha256"] == hashlib.sha256(text.strip().encode()).hexdigest()
    assert r.get_json()["disclosure"] == "Paid 41 days late."


def test_another_members_handoff_answers_404(client, member, make_member):
    handoff_id = post(client, member).get_json()["id"]
    other = make_member(name="Other", email="other@example.com")
    for path in (f"/api/handoffs/{handoff_id}", f"/api/handoffs/{handoff_id}/candidates"):
        assert client.get(path, headers=other.headers).status_code == 404
    assert client.post(f"/api/handoffs/{handoff_id}/disclosure", json={"disclosure": "x"},
                       headers=other.headers).status_code == 404


def test_an_empty_network_gives_no_candidates_and_a_helpful_page(client, member, login):
    r = post(client, member)
    assert r.status_code == 201 and r.get_json()["candidates"] == []
    login(member)
    page = client.get(f"/handoffs/{r.get_json()['id']}").get_data(as_text=True)
    assert 'id="no-one-fits"' in page and "add a colleague" in page


FORM = {
    "client.name": "Owen Pritchard", "client.email": "owen@example.co.uk", "client.industry": "restaurant",
    "client.needs": "bookkeeping and payroll", "reasons": ["late_payments"],
    "facts-0-date": "2026-03-02", "facts-0-text": "Invoice 114 paid 41 days late",
    "disclosure": "Invoices were paid 30 to 45 days late.", "exit_strategy": "take_blame",
}


def test_the_form_keeps_everything_typed_and_marks_each_bad_field(client, member, login):
    login(member)
    bad = {**FORM, "client.email": "owen-at-example", "facts-1-date": "2026-13-40", "facts-1-text": "Paid late again",
           "reasons": []}
    r = client.post("/handoffs/new", data=bad)
    page = r.get_data(as_text=True)
    assert r.status_code == 422
    for field in ("client-email", "reasons", "facts-1-date"):
        assert f'id="{field}-error"' in page, field
    assert 'value="owen-at-example"' in page and 'value="Paid late again"' in page
    assert "Invoices were paid 30 to 45 days late." in page and re.search(r'value="take_blame"\s+checked', page)


def test_the_form_warns_about_tone_then_submits_when_the_member_insists(client, member, login, network):
    login(member)
    loud = {**FORM, "disclosure": "He is a nightmare and NEVER pays!!!"}
    r = client.post("/handoffs/new", data=loud)
    page = r.get_data(as_text=True)
    assert r.status_code == 200 and 'id="tone-warnings"' in page and "nightmare" in page
    assert "rarely pays." in page  # the calmer wording
    r = client.post("/handoffs/new", data={**loud, "tone_ok": "on"})
    assert r.status_code == 302
    page = client.get(r.headers["Location"]).get_data(as_text=True)
    assert "Ana Ruiz" in page and "He is a nightmare" in page


def test_add_another_fact_row_without_javascript(client, member, login):
    login(member)
    r = client.post("/handoffs/new", data={**FORM, "facts-1-date": "2026-04-01", "facts-1-text": "Late again",
                                           "action": "add_fact"})
    page = r.get_data(as_text=True)
    assert 'name="facts-2-date"' in page and 'value="Late again"' in page


def test_two_app_instances_on_one_database_rank_each_others_changes_at_once(
        app, client, member, database_url, tmp_path, clock, network):
    from tests.conftest import make_app

    other = make_app(database_url, tmp_path / "second", clock)
    other_client = other.test_client()
    handoff_id = post(client, member).get_json()["id"]
    url = f"/api/handoffs/{handoff_id}/candidates"
    assert ids(other_client.get(url, headers=member.headers))[0] == network["book"]["id"]  # warm the second cache

    # a colleague added and one paused through the first instance...
    new = client.post("/api/colleagues", json={"name": "Cleo Diaz", "email": "cleo@example.org",
                                               "specialties": ["bookkeeping", "payroll", "restaurant accounts"],
                                               "target_clientele": "restaurants"}, headers=member.headers).get_json()
    client.patch(f"/api/colleagues/{network['book']['id']}", json={"capacity": 0}, headers=member.headers)
    # ...are ranked correctly by the very next request to the second
    got = ids(other_client.get(url, headers=member.headers))
    assert new["id"] in got and network["book"]["id"] not in got
    client.delete(f"/api/colleagues/{new['id']}", headers=member.headers)
    assert new["id"] not in ids(other_client.get(url, headers=member.headers))
    other.extensions["referral"].engine.dispose()


def test_each_candidate_leads_to_a_preview_of_the_offer_mail_that_sends_it(client, member, login, network):
    handoff_id = post(client, member).get_json()["id"]
    login(member)
    page = client.get(f"/handoffs/{handoff_id}").get_data(as_text=True)
    button = re.search(r'<form method="get" action="([^"]+)">\s*<input type="hidden" name="handoff_id" value="(\d+)">\s*'
                       r'<input type="hidden" name="colleague_id" value="(\d+)"><button>Offer the client to Ana Ruiz</button>',
                       page, re.DOTALL)
    assert button, page
    action, handoff, colleague = button.groups()
    preview = client.get(action, query_string={"handoff_id": handoff, "colleague_id": colleague})
    text = preview.get_data(as_text=True)
    assert preview.status_code == 200 and "Before you send" in text and "would like to refer a client to you" in text
    assert "Owen" not in text.split('id="offer-preview"')[1].split("</pre>")[0]  # the mail never names the client
    assert client.get("/mail").get_data(as_text=True).count("would like to refer") == 0  # nothing sent yet
    r = client.post("/referrals/offer", data={"handoff_id": handoff, "colleague_id": colleague}, follow_redirects=True)
    page = r.get_data(as_text=True)
    assert "The offer is on its way" in page and "offered to Ana Ruiz" in page
    page = client.get(f"/handoffs/{handoff_id}").get_data(as_text=True)
    assert "Offer the client to" not in page and "The client is offered to Ana Ruiz" in page
    assert re.search(r'<a href="/referrals/\d+">Offer to Ana Ruiz</a>', page)
    assert re.search(r'action="/referrals/\d+/withdraw"', page)


def test_a_process_left_behind_by_a_pruned_change_log_reloads_and_ranks_correctly(
        app, client, member, database_url, tmp_path, clock, network):
    from referral.services import sync
    from tests.conftest import make_app

    other = make_app(database_url, tmp_path / "second", clock)
    other_client = other.test_client()
    handoff_id = post(client, member).get_json()["id"]
    url = f"/api/handoffs/{handoff_id}/candidates"
    assert network["book"]["id"] in ids(other_client.get(url, headers=member.headers))  # warm
    client.patch(f"/api/colleagues/{network['book']['id']}", json={"capacity": 0}, headers=member.headers)
    clock.advance(days=2)
    client.patch(f"/api/colleagues/{network['book2']['id']}", json={"location": "Leeds"}, headers=member.headers)
    assert sync.prune(app.extensions["referral"].uow(), clock()) > 0  # the capacity change is gone from the log
    assert network["book"]["id"] not in ids(other_client.get(url, headers=member.headers))
    other.extensions["referral"].engine.dispose()


def test_phrase_vectors_are_stored_once_so_a_restarted_process_ranks_without_running_the_model_on_them(
        app, client, member):
    from sqlalchemy import func, select

    from referral.adapters import orm
    from referral.domain.matching import ClientNeed, MatchContext
    from referral.services.handoffs import MatchState

    for i, specialties in enumerate((["manuscript critique", "copy editing"], ["copy editing"])):
        r = client.post("/api/colleagues", json={"name": f"Ed {i}", "email": f"ed{i}@example.org",
                                                 "specialties": specialties}, headers=member.headers)
        assert r.status_code == 201
    services = app.extensions["referral"]
    with services.uow().reading() as uow:
        stored = uow.session.scalars(select(orm.phrase_vectors.c.phrase)).all()
        assert sorted(p for p in stored if p in ("manuscript critique", "copy editing")) == [
            "copy editing", "manuscript critique"]  # "copy editing" once, though two colleagues list it
        assert uow.session.scalar(select(func.count()).select_from(orm.phrase_vectors)) == len(set(stored))

    class OnlyQueries:
        """A model that may embed the request, never a stored phrase."""

        def __init__(self, model):
            self.model, self.model_id, self.seen = model, model.model_id, []

        def encode(self, texts):
            self.seen += texts
            return self.model.encode(texts)

    from referral.adapters.embedding import shared_encoder

    model = OnlyQueries(shared_encoder())
    state = MatchState(encoder=model)  # a new process: loads the index from the database
    with services.uow().reading() as uow:
        state.refresh(uow.session, datetime(2026, 12, 1))
    assert model.seen == []
    got = state.index.rank(ClientNeed("Could someone read my novel draft and tell me what isn't working?"),
                           MatchContext(0, frozenset({"not_a_fit"}), date(2026, 12, 1), {}))
    assert got and "manuscript critique" in " ".join(got[0].explanation)
    assert not set(model.seen) & {"manuscript critique", "copy editing"}
