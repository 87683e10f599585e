"""Hostile input: numbers past the database's range, oversized requests, over-long fields."""

import pytest

HUGE = 2**63  # past SQLite's and PostgreSQL's integers alike


@pytest.mark.parametrize("path", [
    f"/api/colleagues/{HUGE}", f"/api/handoffs/{HUGE}", f"/api/handoffs/{HUGE}/candidates",
    f"/api/referrals/{HUGE}", f"/api/ledger/{HUGE}", f"/api/colleagues/{2**31}",
])
def test_an_id_past_the_databases_range_is_simply_not_found(client, member, path):
    r = client.get(path, headers=member.headers)
    assert r.status_code == 404


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
