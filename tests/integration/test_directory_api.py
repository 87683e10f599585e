"""The colleague directory over the JSON API, as the contract describes it."""

import pytest


def test_adding_a_colleague_answers_201_with_the_stored_colleague(client, member):
    body = {"name": "Ana Ruiz", "email": "Ana.Ruiz@Example.org", "specialties": ["bookkeeping", "payroll"],
            "target_clientele": "restaurants", "capacity": 2, "location": "Porto", "remote": False,
            "dealbreakers": ["hostile"], "paused_until": "2027-01-31"}
    r = client.post("/api/colleagues", json=body, headers=member.headers)
    assert r.status_code == 201
    got = r.get_json()
    assert got["id"] > 0
    assert got["email"] == "ana.ruiz@example.org"
    assert {k: got[k] for k in ("specialties", "capacity", "remote", "dealbreakers", "paused_until")} == {
        "specialties": ["bookkeeping", "payroll"], "capacity": 2, "remote": False,
        "dealbreakers": ["hostile"], "paused_until": "2027-01-31"}
    assert client.get(f"/api/colleagues/{got['id']}", headers=member.headers).get_json()["name"] == "Ana Ruiz"


def test_defaults_apply_when_optional_fields_are_left_out(client, member):
    r = client.post("/api/colleagues", json={"name": "Bo", "email": "bo@example.org", "specialties": ["SEO"]},
                    headers=member.headers)
    got = r.get_json()
    assert (got["capacity"], got["remote"], got["dealbreakers"], got["paused_until"], got["target_clientele"]) == (
        3, True, [], None, "")


@pytest.mark.parametrize("field, value", [
    ("name", ""), ("name", "x" * 201), ("name", None),
    ("email", "not-an-email"), ("email", None),
    ("specialties", []), ("specialties", "bookkeeping"),
    ("capacity", -1), ("capacity", "3"), ("capacity", 2.5),
    ("remote", "yes"), ("dealbreakers", ["rude"]), ("paused_until", "next week"),
    ("location", 5), ("target_clientele", 7),
])
def test_each_field_rule_is_enforced_and_the_error_names_the_field(client, member, field, value):
    body = {"name": "Ana Ruiz", "email": "ana@example.org", "specialties": ["bookkeeping"], field: value}
    r = client.post("/api/colleagues", json=body, headers=member.headers)
    assert r.status_code == 422
    assert field in r.get_json()["errors"]["json"]


@pytest.mark.parametrize("missing", ["name", "email", "specialties"])
def test_required_fields_are_named_when_missing(client, member, missing):
    body = {"name": "Ana Ruiz", "email": "ana@example.org", "specialties": ["bookkeeping"]}
    del body[missing]
    r = client.post("/api/colleagues", json=body, headers=member.headers)
    assert r.status_code == 422 and missing in r.get_json()["errors"]["json"]


def test_unknown_fields_and_malformed_json_are_refused(client, member):
    r = client.post("/api/colleagues", json={"name": "A", "email": "a@example.org", "specialties": ["x"],
                                              "favourite_colour": "blue"}, headers=member.headers)
    assert r.status_code == 422 and "favourite_colour" in r.get_json()["errors"]["json"]
    r = client.post("/api/colleagues", data="{not json", headers={**member.headers, "Content-Type": "application/json"})
    assert r.status_code in (400, 422)


def test_an_email_is_unique_in_the_network(client, member, make_colleague):
    make_colleague(email="taken@example.org")
    r = client.post("/api/colleagues", json={"name": "Other", "email": "TAKEN@example.org", "specialties": ["x"]},
                    headers=member.headers)
    assert r.status_code == 422 and "email" in r.get_json()["errors"]["json"]


@pytest.mark.postgres  # on SQLite the first writer holds the lock from its look-up to its commit
@pytest.mark.parametrize("second", ["adds", "changes an email to"])
def test_two_members_storing_one_email_at_the_same_moment_get_201_and_a_named_422_not_a_500(
        client, member, make_member, make_colleague, monkeypatch, second):
    from referral.services import colleagues
    otto = make_member(name="Otto Lind", email="otto@example.com")
    bo = make_colleague(by=otto, name="Bo Berg", email="bo@example.org")
    real_holder = colleagues._holder_of

    def maya_stores_ana_meanwhile(uow, email, except_id=None):
        """Otto's look-up finds the email free; Maya adds Ana with it before Otto writes."""
        holder = real_holder(uow, email, except_id)
        monkeypatch.setattr(colleagues, "_holder_of", real_holder)  # Maya's own request looks up as usual
        first.append(client.post("/api/colleagues", headers=member.headers, json={
            "name": "Ana Ruiz", "email": "ana@example.org", "specialties": ["payroll"]}))
        return holder

    first: list = []
    monkeypatch.setattr(colleagues, "_holder_of", maya_stores_ana_meanwhile)
    if second == "adds":
        r = client.post("/api/colleagues", headers=otto.headers, json={
            "name": "Ana R.", "email": "ana@example.org", "specialties": ["tax"]})
    else:
        r = client.patch(f"/api/colleagues/{bo['id']}", headers=otto.headers, json={"email": "ana@example.org"})
    assert first[0].status_code == 201
    assert r.status_code == 422 and "email" in r.get_json()["errors"]["json"], r.get_json()
    listing = {c["email"]: c for c in client.get("/api/colleagues", headers=member.headers).get_json()}
    assert listing["ana@example.org"]["name"] == "Ana Ruiz" and "bo@example.org" in listing


def test_requests_without_a_valid_token_answer_401(client, member):
    assert client.get("/api/colleagues").status_code == 401
    assert client.get("/api/colleagues", headers={"Authorization": "Bearer nope"}).status_code == 401
    assert client.get("/api/colleagues", headers=member.headers).status_code == 200


def test_list_is_searchable_by_name_specialty_and_clientele_and_paginated(client, member, make_colleague):
    make_colleague(name="Ana Ruiz", specialties=["bookkeeping"], target_clientele="restaurants")
    make_colleague(name="Tom Park", specialties=["wedding photography"], target_clientele="couples")
    make_colleague(name="Lia Chen", specialties=["tax returns"], target_clientele="restaurants and cafés")
    names = lambda q: sorted(c["name"] for c in client.get(f"/api/colleagues?q={q}", headers=member.headers).get_json())
    assert names("ruiz") == ["Ana Ruiz"]
    assert names("photography") == ["Tom Park"]
    assert names("restaurants") == ["Ana Ruiz", "Lia Chen"]
    assert names("cafés") == ["Lia Chen"]
    r = client.get("/api/colleagues?page=2&page_size=2", headers=member.headers)
    assert r.status_code == 200 and len(r.get_json()) == 2  # 3 colleagues + the member = 4
    assert '"total": 4' in r.headers["X-Pagination"]


def test_patch_changes_only_the_given_fields_and_pauses(client, member, make_colleague):
    c = make_colleague(capacity=4, location="Leeds")
    r = client.patch(f"/api/colleagues/{c['id']}", json={"paused_until": "2026-12-31"}, headers=member.headers)
    assert r.status_code == 200
    assert (r.get_json()["paused_until"], r.get_json()["capacity"], r.get_json()["location"]) == ("2026-12-31", 4, "Leeds")
    r = client.patch(f"/api/colleagues/{c['id']}", json={"capacity": "many"}, headers=member.headers)
    assert r.status_code == 422 and "capacity" in r.get_json()["errors"]["json"]


def test_another_members_colleague_cannot_be_changed_or_deleted(client, member, make_member, make_colleague):
    c = make_colleague()
    other = make_member(name="Other Member", email="other@example.com")
    assert client.patch(f"/api/colleagues/{c['id']}", json={"capacity": 0}, headers=other.headers).status_code == 404
    assert client.delete(f"/api/colleagues/{c['id']}", headers=other.headers).status_code == 404
    assert client.get(f"/api/colleagues/{c['id']}", headers=member.headers).get_json()["capacity"] == 3


def test_delete_removes_the_colleague(client, member, make_colleague):
    c = make_colleague()
    assert client.delete(f"/api/colleagues/{c['id']}", headers=member.headers).status_code == 204
    assert client.get(f"/api/colleagues/{c['id']}", headers=member.headers).status_code == 404


def test_connections_record_whom_the_member_knows(client, member, make_colleague):
    c = make_colleague()
    assert client.post("/api/connections", json={"colleague_id": c["id"]}, headers=member.headers).status_code == 201
    assert client.post("/api/connections", json={"colleague_id": c["id"]}, headers=member.headers).status_code == 201
    r = client.post("/api/connections", json={"colleague_id": 99999}, headers=member.headers)
    assert r.status_code == 404
    r = client.post("/api/connections", json={"colleague_id": "3"}, headers=member.headers)
    assert r.status_code == 422 and "colleague_id" in r.get_json()["errors"]["json"]


def test_wrong_method_answers_405_with_allow_header(client, member):
    r = client.put("/api/colleagues", headers=member.headers)
    assert r.status_code == 405 and "POST" in r.headers["Allow"]


def test_the_openapi_document_describes_the_api(client):
    doc = client.get("/api/openapi.json").get_json()
    assert "/api/colleagues" in doc["paths"] and "/api/connections" in doc["paths"]
    assert doc["components"]["securitySchemes"]["bearer"]["scheme"] == "bearer"


def test_directory_search_reads_words_as_matching_does_lawyer_finds_the_ip_lawyer_bookeeping_the_bookkeeper(
        client, member):
    for name, email, specialties in [
        ("Matthias", "matthias@example.org", ["IP law", "trademark registration"]),
        ("Hannah", "hannah@example.org", ["bookkeeping", "payroll"]),
        ("Ruth", "ruth@example.org", ["wedding photography"]),
    ]:
        r = client.post("/api/colleagues", json={"name": name, "email": email, "specialties": specialties},
                        headers=member.headers)
        assert r.status_code == 201

    def found(q):
        return {c["name"] for c in client.get(f"/api/colleagues?q={q}", headers=member.headers).get_json()}

    assert "Matthias" in found("lawyer") and "Ruth" not in found("lawyer")
    assert "Hannah" in found("bookeeping") and "Ruth" not in found("bookeeping")
