"""Malformed input answers 400 or 422 naming the field, never a 500; text is cleaned where it enters.

Runs on SQLite and PostgreSQL: PostgreSQL refuses a NUL byte in text, SQLite stores it.
"""

import pytest
from marshmallow import fields

from tests.integration.conftest import CLIENT
from web.schemas import Email, Text

HANDOFF = {"client": CLIENT, "reasons": ["late_payments"], "disclosure": "Pays late, but pays."}


def test_a_repeated_and_an_unknown_reason_answer_422_naming_reasons(client, member):
    body = {**HANDOFF, "reasons": ["hostile", "hostile", "bogus"]}
    r = client.post("/api/handoffs", json=body, headers=member.headers)
    assert r.status_code == 422
    assert set(r.get_json()["errors"]["json"]["reasons"]) == {"2", "_schema"}


def test_json_nested_a_hundred_thousand_deep_answers_400(client, member):
    deep = "[" * 100_000 + "]" * 100_000
    r = client.post("/api/colleagues", data=deep, content_type="application/json", headers=member.headers)
    assert r.status_code == 400 and "nested too deeply" in r.get_json()["errors"]["json"]["_schema"][0]


@pytest.mark.parametrize("url, body, field", [
    ("/api/colleagues", {"name": "Ana\x00Ruiz", "email": "ana@example.org", "specialties": ["books"]}, ["name"]),
    ("/api/colleagues", {"name": "Ana", "email": "ana\x00@example.org", "specialties": ["books"]}, ["email"]),
    ("/api/colleagues", {"name": "Ana", "email": "ana@example.org", "specialties": ["bo\x00oks"]},
     ["specialties", "0"]),
    ("/api/handoffs", {**HANDOFF, "client": {**CLIENT, "name": "Quentin\x00"}}, ["client", "name"]),
    ("/api/handoffs", {**HANDOFF, "disclosure": "Pays late\x00"}, ["disclosure"]),
    ("/api/handoffs", {**HANDOFF, "facts": [{"date": "2026-10-02", "text": "late\x00"}]}, ["facts", "0", "text"]),
])
def test_a_nul_byte_in_a_field_answers_422_naming_it(client, member, url, body, field):
    r = client.post(url, json=body, headers=member.headers)
    assert r.status_code == 422, r.get_data(as_text=True)[:300]
    errors = r.get_json()["errors"]["json"]
    for key in field:
        errors = errors[key]
    assert "control characters" in errors[0]


def test_a_nul_byte_in_a_search_answers_422_naming_q(client, member):
    r = client.get("/api/colleagues?q=ana%00", headers=member.headers)
    assert r.status_code == 422 and "q" in r.get_json()["errors"]["query"]


def test_a_nul_byte_in_the_directory_search_page_answers_400_naming_q(client, member, login):
    login(member)
    r = client.get("/colleagues/?q=ana%00")
    assert r.status_code == 400 and "q: Must not contain control characters" in r.get_data(as_text=True)


def test_a_nul_byte_in_the_login_email_answers_400_naming_email(client, member):
    r = client.post("/login", data={"email": member.email + "\x00", "password": member.password})
    assert r.status_code == 400 and "email: Must not contain control characters" in r.get_data(as_text=True)


def test_a_line_break_in_a_name_is_refused_by_the_api_and_by_the_form_which_keeps_what_was_typed(
    client, member, login
):
    body = {"name": "Line\nBreak", "email": "line@example.org", "specialties": ["books"]}
    r = client.post("/api/colleagues", json=body, headers=member.headers)
    assert r.status_code == 422 and "one line" in r.get_json()["errors"]["json"]["name"][0]

    login(member)
    r = client.post("/colleagues/new", data={"name": "Line\rBreak", "email": "line@example.org",
                                             "specialties": "books", "capacity": "3"})
    page = r.get_data(as_text=True)
    assert r.status_code == 422 and "Must be one line" in page and "line@example.org" in page
    assert client.get("/api/colleagues?q=line", headers=member.headers).get_json() == []


def test_invisible_characters_and_bidi_overrides_are_stripped_and_names_normalised(client, member):
    body = {"name": "Cafe\u0301 \u202eAna\u202c Ruiz\u200b", "email": "ana@example.org", "specialties": ["books"],
            "target_clientele": "restaurants\u2066 only"}
    r = client.post("/api/colleagues", json=body, headers=member.headers)
    assert r.status_code == 201
    assert r.get_json()["name"] == "Caf\u00e9 Ana Ruiz"
    assert r.get_json()["target_clientele"] == "restaurants only"


def test_a_multi_line_disclosure_keeps_its_line_breaks(client, member):
    body = {**HANDOFF, "disclosure": "Pays late.\r\n\r\nBut always pays.\tReally."}
    r = client.post("/api/handoffs", json=body, headers=member.headers)
    assert r.status_code == 201
    got = client.get(f"/api/handoffs/{r.get_json()['id']}", headers=member.headers).get_json()
    assert got["disclosure"] == "Pays late.\n\nBut always pays.\tReally."


def _text_fields(schema, prefix=""):
    """Every string field a schema reads, with its dotted name (lists and nested schemas included)."""
    for name, field in schema.fields.items():
        if field.dump_only:
            continue
        while isinstance(field, fields.List):
            field, name = field.inner, f"{name}[]"
        if isinstance(field, fields.Nested):
            yield from _text_fields(field.schema, f"{prefix}{name}.")
        elif isinstance(field, fields.String):
            yield f"{prefix}{name}", field


def test_every_text_the_api_reads_goes_through_the_cleaning(app):
    read = {}
    for view in app.view_functions.values():
        cls = getattr(view, "view_class", None)
        for method in ("get", "post", "patch", "put", "delete"):
            for p in getattr(getattr(cls, method, None), "_apidoc", {}).get("arguments", {}).get("parameters", []):
                schema = p["schema"]() if isinstance(p["schema"], type) else p["schema"]
                read.update({f"{type(schema).__name__}.{n}": f for n, f in _text_fields(schema)})
    assert "HandoffSchema.client.name" in read and "ColleagueQuerySchema.q" in read
    assert [name for name, f in read.items() if not isinstance(f, Text | Email)] == []
