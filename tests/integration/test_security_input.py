"""Hostile input: numbers past the database's range, oversized requests, over-long fields."""

import pytest

HUGE = 2**63  # past SQLite's and PostgreSQL's integers alike


@pytest.mark.parametrize("path", [
    f"/api/colleagues/{HUGE}", f"/api/handoffs/{HUGE}", f"/api/handoffs/{HUGE}/candidates",
    f"/api/referrals/{HUGE}", f"/api/ledger/{HUGE}", f"/api/colleagues/{2**31}",
])
def test_an_id_past_the_databases_range_is_simply_not_found(client, member, path):
    r = client.get(path, headers=member.headers)
    assert r.status_code == 404 and set(r.get_json()) == {"code", "status", "message"}


@pytest.mark.parametrize("url, body, field", [
    ("/api/connections", {"colleague_id": HUGE}, "colleague_id"),
    ("/api/connections", {"colleague_id": 0}, "colleague_id"),
    ("/api/handoffs/1/offers", {"colleague_id": HUGE}, "colleague_id"),
])
def test_an_id_past_the_databases_range_in_a_body_answers_422_naming_the_field(client, member, url, body, field):
    r = client.post(url, json=body, headers=member.headers)
    assert r.status_code == 422 and field in r.get_json()["errors"]["json"], r.get_json()


def test_a_network_centered_past_the_databases_range_answers_422(client, member):
    r = client.get(f"/api/network?center={HUGE}", headers=member.headers)
    assert r.status_code == 422 and "center" in r.get_json()["errors"]["query"]


@pytest.mark.parametrize("query", [f"page={HUGE}", f"page={2**62}&page_size=500"])
def test_a_page_far_past_the_end_is_empty(client, member, query):
    r = client.get(f"/api/colleagues?{query}", headers=member.headers)
    assert r.status_code == 200 and r.get_json() == []


def test_the_directory_page_far_past_the_end_is_empty(client, member, login):
    login(member)
    assert client.get(f"/colleagues/?page={HUGE}").status_code == 200


def test_moments_in_the_api_carry_their_utc_offset(client, member):
    """RFC 3339 date-time, as the OpenAPI document promises: a client never has to guess the zone."""
    body = {"client": {"name": "Quentin", "email": "q@example.org", "needs": "Books"},
            "reasons": ["late_payments"], "disclosure": "Pays late."}
    handoff = client.post("/api/handoffs", json=body, headers=member.headers).get_json()
    got = client.get(f"/api/handoffs/{handoff['id']}", headers=member.headers).get_json()
    assert got["created_at"] == "2026-11-25T09:00:00+00:00"
    assert got["disclosures"][0]["created_at"].endswith("+00:00")


def test_a_member_without_specialties_is_listed_as_the_schema_describes(client, member):
    """A member's own entry may have no specialty; the answer's schema must not demand one."""
    me = client.get(f"/api/colleagues/{member.colleague_id}", headers=member.headers).get_json()
    assert me["specialties"] == []
    spec = client.get("/api/openapi.json").get_json()
    answer = spec["paths"]["/api/colleagues/{colleague_id}"]["get"]["responses"]["200"]
    name = answer["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]
    assert "minItems" not in spec["components"]["schemas"][name]["properties"]["specialties"]


# --- oversized requests and over-long fields ------------------------------------------------------

TOO_BIG = "x" * (1024 * 1024 + 1)  # MAX_CONTENT_LENGTH is 1 MiB


def test_an_oversized_api_request_answers_413_in_the_one_json_error_shape(client, member):
    r = client.post("/api/colleagues", data='{"name": "' + TOO_BIG + '"}', content_type="application/json",
                    headers=member.headers)
    assert r.status_code == 413
    body = r.get_json()
    assert body["code"] == 413 and body["status"] == "Request Entity Too Large" and body["message"]


@pytest.mark.parametrize("path", ["/login", "/colleagues/new", "/handoffs/new", "/offers/some-token"])
def test_an_oversized_form_gets_a_413_page(client, member, login, path):
    login(member)
    r = client.post(path, data={"name": TOO_BIG})
    assert r.status_code == 413 and r.mimetype == "text/html"


def colleague(**fields):
    return {"name": "Ana Ruiz", "email": "ana@example.org", "specialties": ["bookkeeping"], **fields}


def handoff(client=None, **fields):
    body = {"client": {"name": "Quentin", "email": "q@example.org", "needs": "Books", **(client or {})},
            "reasons": ["late_payments"], "disclosure": "Pays late.", **fields}
    return body


LONG = "y" * 5001


@pytest.mark.parametrize("body, errors_at", [
    (colleague(name="n" * 201), ["name"]),
    (colleague(email="a" * 320 + "@example.org"), ["email"]),
    (colleague(specialties=["s" * 201]), ["specialties", "0"]),
    (colleague(target_clientele="t" * 2001), ["target_clientele"]),
    (colleague(location="l" * 201), ["location"]),
], ids=["name", "email", "specialty", "target_clientele", "location"])
def test_an_over_long_colleague_field_answers_422_naming_it(client, member, body, errors_at):
    r = client.post("/api/colleagues", json=body, headers=member.headers)
    found = r.get_json()["errors"]["json"]
    for key in errors_at:
        found = found[key]
    assert r.status_code == 422 and found


@pytest.mark.parametrize("body, errors_at", [
    (handoff({"name": "n" * 201}), ["client", "name"]),
    (handoff({"company": "c" * 201}), ["client", "company"]),
    (handoff({"phone": "p" * 101}), ["client", "phone"]),
    (handoff({"needs": LONG}), ["client", "needs"]),
    (handoff(disclosure=LONG), ["disclosure"]),
    (handoff(facts=[{"date": "2026-10-02", "text": "f" * 1001}]), ["facts", "0", "text"]),
    (handoff(facts=[{"date": "2026-10-02", "text": "f"}] * 51), ["facts"]),
], ids=["client.name", "client.company", "client.phone", "client.needs", "disclosure", "fact", "facts"])
def test_an_over_long_handoff_field_answers_422_naming_it(client, member, body, errors_at):
    r = client.post("/api/handoffs", json=body, headers=member.headers)
    found = r.get_json()["errors"]["json"]
    for key in errors_at:
        found = found[key]
    assert r.status_code == 422 and found


def test_an_over_long_outcome_or_disclosure_answers_422_naming_it(client, member):
    h = client.post("/api/handoffs", json=handoff(), headers=member.headers).get_json()["id"]
    r = client.post(f"/api/handoffs/{h}/disclosure", json={"disclosure": LONG}, headers=member.headers)
    assert r.status_code == 422 and "disclosure" in r.get_json()["errors"]["json"]
    r = client.post("/api/referrals/1/outcome", json={"note": "n" * 2001, "value": "v" * 101},
                    headers=member.headers)
    assert r.status_code == 422 and {"note", "value"} <= set(r.get_json()["errors"]["json"])


def test_an_over_long_search_answers_422_naming_it(client, member):
    r = client.get("/api/colleagues?q=" + "q" * 201, headers=member.headers)
    assert r.status_code == 422 and "q" in r.get_json()["errors"]["query"]


def test_an_over_long_form_field_comes_back_with_the_error_beside_it(client, member, login):
    login(member)
    r = client.post("/colleagues/new", data={"name": "n" * 201, "email": "ana@example.org",
                                             "specialties": "bookkeeping"})
    assert r.status_code == 422 and 'id="name-error"' in r.get_data(as_text=True)
    r = client.post("/handoffs/new", data={"client.name": "Q", "client.email": "q@example.org",
                                           "client.needs": LONG, "reasons": "late_payments",
                                           "disclosure": "Pays late."})
    assert r.status_code == 422 and 'id="client-needs-error"' in r.get_data(as_text=True)
