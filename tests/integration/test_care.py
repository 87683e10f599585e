"""Letting go with care, through the API: contract terms, outcomes, a second read by email, the letter
and its reminders, the own firm, the look back and its lessons."""

import re
from typing import Any

import pytest

from tests.conftest import found, text_of
from tests.integration.conftest import CLIENT


@pytest.fixture
def app(mail_app):
    return mail_app


HANDOFF: dict[str, Any] = {  # a JSON body: its values differ in type by field
    "client": CLIENT,
    "reasons": ["late_payments", "scope_creep"],
    "facts": [{"date": "2026-09-01", "text": "Invoice 98 paid 35 days late"},
              {"date": "2026-10-02", "text": "Invoice 114 paid 41 days late"}],
    "disclosure": "Pays invoices about six weeks late and asks for work outside the agreed scope.",
    "exit_strategy": "refer_elsewhere",
    "finish_by": "2026-12-18",
    "desired_outcomes": ["recover_payment", "end_on_good_terms"],
    "outcome_note": "Get invoice 121 paid and part as friends.",
    "contract_terms": [
        {"term": "Monthly report by the 5th", "due": "2026-11-05", "met_by_me": "partly", "met_by_client": "yes",
         "note": "October report late"},
        {"term": "Invoices paid within 14 days", "due": None, "met_by_me": "yes", "met_by_client": "no", "note": ""},
        {"term": "Handover notes for the payroll", "due": "2026-12-01", "met_by_me": "no", "met_by_client": "yes",
         "note": ""},
    ],
}


def submit(http, member, **overrides):
    r = http.post("/api/handoffs", json={**HANDOFF, **overrides}, headers=member.headers)
    assert r.status_code == 201, r.get_json()
    return r.get_json()


def detail(client, member, handoff_id):
    r = client.get(f"/api/handoffs/{handoff_id}", headers=member.headers)
    assert r.status_code == 200, r.get_json()
    return r.get_json()


def post(client, member, path, body=None, code=200):
    r = client.post(path, json=body if body is not None else {}, headers=member.headers)
    assert r.status_code == code, r.get_json()
    return r.get_json()


def link_in(msg, label: str) -> str:
    return found(rf"^{label}:\n(\S+)$", text_of(msg), re.MULTILINE).group(1).removeprefix("http://localhost:5000")


# --- 1 and 2: the contract's terms, and what the member wants from ending it ---------------------


def test_outcomes_and_terms_are_kept_and_the_members_own_gaps_come_first_worst_first(client, member):
    h = detail(client, member, submit(client, member)["id"])
    assert h["desired_outcomes"] == ["recover_payment", "end_on_good_terms"]
    assert h["outcome_note"] == "Get invoice 121 paid and part as friends."
    assert [t["term"] for t in h["contract_terms"]] == [t["term"] for t in HANDOFF["contract_terms"]]
    # the client's unpaid invoices are not the member's gap; an unmet term comes before a partly met one
    assert [(g["term"], g["index"]) for g in h["contract_gaps"]] == [
        ("Handover notes for the payroll", 2), ("Monthly report by the 5th", 0)]


def test_putting_a_gap_right_is_one_step(client, member):
    handoff_id = submit(client, member)["id"]
    h = post(client, member, f"/api/handoffs/{handoff_id}/terms/2/fix", {"note": "Sent on 28 November"})
    assert [g["index"] for g in h["contract_gaps"]] == [0]
    assert h["contract_terms"][2]["met_by_me"] == "yes" and h["contract_terms"][2]["note"] == "Sent on 28 November"
    post(client, member, f"/api/handoffs/{handoff_id}/terms/9/fix", code=404)


@pytest.mark.parametrize("body, field", [
    ({"desired_outcomes": ["revenge"]}, "desired_outcomes"),
    ({"contract_terms": [{"term": "x", "met_by_me": "maybe", "met_by_client": "yes"}]}, "contract_terms"),
    ({"contract_terms": [{"met_by_me": "yes", "met_by_client": "yes"}]}, "contract_terms"),
    ({"outcome_note": "x" * 2001}, "outcome_note"),
])
def test_a_bad_code_is_refused_naming_the_field(client, member, body, field):
    r = client.post("/api/handoffs", json={**HANDOFF, **body}, headers=member.headers)
    assert r.status_code == 422
    assert field in r.get_json()["errors"]["json"]


# --- 3: a second read by email, no login -------------------------------------------------------


def test_a_second_read_goes_by_email_and_the_member_sees_the_answer(client, member, smtp, work):
    handoff_id = submit(client, member, exit_strategy="bow_out")["id"]
    review = post(client, member, f"/api/handoffs/{handoff_id}/reviews",
                  {"reviewer_email": "rosa@example.net", "reviewer_name": "Rosa Lind", "note": "Too harsh?"}, 201)
    assert review["status"] == "requested"
    work()
    link = link_in(smtp.one("rosa@example.net", "second read"), "Read and answer")

    page = client.get(link).get_data(as_text=True)
    assert "Pays invoices about six weeks late" in page and "Invoice 114 paid 41 days late" in page
    assert "Dear Quentin," in page and "Too harsh?" in page  # the draft letter to the client, the member's note
    for secret in (CLIENT["email"], CLIENT["phone"], CLIENT["company"]):
        assert secret not in page

    r = client.post(link, data={"verdict": "suggest_changes", "comment": ""})
    assert r.status_code == 422 and "Say what you would change" in r.get_data(as_text=True)
    r = client.post(link, data={"verdict": "suggest_changes", "comment": "Drop the word 'asks'."})
    assert r.status_code == 200 and "You suggested changes" in r.get_data(as_text=True)
    assert client.post(link, data={"verdict": "approve"}).status_code == 409  # answered once
    assert client.get(link[:-3] + "xyz").status_code == 400  # a changed link

    h = detail(client, member, handoff_id)
    assert [(x["reviewer_email"], x["status"], x["comment"]) for x in h["reviews"]] == [
        ("rosa@example.net", "changes_suggested", "Drop the word 'asks'.")]
    work()
    told = smtp.one(member.email, "Second read")
    assert "Drop the word 'asks'." in text_of(told) and f"/handoffs/{handoff_id}" in text_of(told)

    # the member revises, and the reviewer's page shows the new text
    post(client, member, f"/api/handoffs/{handoff_id}/disclosure", {"disclosure": "Pays about six weeks late."}, 201)
    assert "Pays about six weeks late." in client.get(link).get_data(as_text=True)


# --- 3, 4, 5, 6: the letter to the client ------------------------------------------------------


def test_the_letter_waits_for_the_second_read_unless_the_member_goes_ahead(client, member, smtp, work):
    handoff_id = submit(client, member, exit_strategy="bow_out")["id"]
    letter = detail(client, member, handoff_id)["letter"]
    assert letter["needs_colleague"] is False and letter["subject"] == "Finishing our work together"
    post(client, member, f"/api/handoffs/{handoff_id}/reviews", {"reviewer_email": "rosa@example.net"}, 201)

    r = client.post(f"/api/handoffs/{handoff_id}/letter", json={"body": letter["body"]}, headers=member.headers)
    assert r.status_code == 409 and "rosa@example.net" in r.get_json()["message"]
    h = post(client, member, f"/api/handoffs/{handoff_id}/letter", {"body": letter["body"], "go_ahead": True}, 201)
    assert h["letter"]["sent_via"] == "service"
    post(client, member, f"/api/handoffs/{handoff_id}/letter", {"body": letter["body"], "go_ahead": True}, 409)

    work()
    body = text_of(smtp.one(CLIENT["email"], "Finishing our work together"))
    assert "that offer stands for anyone you know" in body  # the business card, given out again
    assert body.rstrip().endswith(member.email)


def test_a_letter_that_introduces_a_colleague_waits_for_one_to_accept(client, member):
    handoff_id = submit(client, member)["id"]
    assert detail(client, member, handoff_id)["letter"]["body"] is None
    post(client, member, f"/api/handoffs/{handoff_id}/letter", {"body": "Dear Quentin"}, 409)


def test_a_day_after_the_letter_the_member_is_reminded_to_call_with_the_phone_unless_the_client_replied(
        client, member, clock, smtp, work):
    quiet = submit(client, member, exit_strategy="bow_out", finish_by=None)["id"]
    replied = submit(client, member, exit_strategy="bow_out", finish_by=None,
                     client={**CLIENT, "name": "Rita Replied", "phone": "+351 999"})["id"]
    for handoff_id in (quiet, replied):
        post(client, member, f"/api/handoffs/{handoff_id}/letter/sent")
    post(client, member, f"/api/handoffs/{replied}/client-replied")

    clock.advance(hours=23)
    work()
    assert smtp.to(member.email, "Call") == []
    clock.advance(hours=2)
    work()
    work()
    reminder = smtp.one(member.email, "Call")
    assert "Quentin Gallardo" in reminder["Subject"] and CLIENT["phone"] in text_of(reminder)
    assert detail(client, member, quiet)["letter"]["call_due_at"] is not None


def test_the_finish_date_is_reminded_a_week_and_a_day_before_and_the_runway_shown(client, member, clock, smtp,
                                                                                   work):
    handoff_id = submit(client, member, finish_by="2026-12-05")["id"]  # the clock says 25 November
    assert detail(client, member, handoff_id)["runway_days"] == 10
    work()
    assert smtp.to(member.email, "you finish") == []
    clock.advance(days=3)  # 28 November: 7 days left
    work()
    work()
    assert "in 7 days" in smtp.one(member.email, "you finish")["Subject"]
    clock.advance(days=6)  # 4 December
    work()
    assert [m["Subject"] for m in smtp.to(member.email, "you finish")][-1].startswith("Quentin Gallardo: you finish tomorrow")
    assert len(smtp.to(member.email, "you finish")) == 2


# --- 8: someone in the member's own firm ---------------------------------------------------------


def test_a_fitting_colleague_of_the_members_own_firm_comes_first_and_is_marked(client, member, make_colleague):
    r = client.patch(f"/api/colleagues/{member.colleague_id}", json={"firm": "Brenner & Co"}, headers=member.headers)
    assert r.status_code == 200 and r.get_json()["firm"] == "Brenner & Co"
    make_colleague(name="Ana Ruiz", specialties=["bookkeeping", "payroll"],
                   target_clientele="restaurants and hospitality in Porto", location="Porto")
    own = make_colleague(name="Bea Brenner", specialties=["bookkeeping"], firm="brenner & co")
    make_colleague(name="Carl Cole", specialties=["tax returns"], firm="Brenner & Co")  # same firm, no fit

    candidates = submit(client, member)["candidates"]
    assert candidates[0]["colleague_id"] == own["id"] and candidates[0]["same_firm"] is True
    assert "Works in your own firm" in candidates[0]["explanation"]
    assert [c["same_firm"] for c in candidates[1:]] == [False] * (len(candidates) - 1)


# --- 9: the look back, and the lessons ---------------------------------------------------------


def test_the_look_back_opens_when_the_handoff_ends_and_feeds_the_lessons(client, member):
    first = submit(client, member)["id"]
    second = submit(client, member, reasons=["hostile"], facts=[{"date": "2026-11-20", "text": "Shouted on a call"}])["id"]
    retro = {"what_did_not_work": "Scope was never written down", "my_part": "I said yes too often",
             "their_part": "Paid late", "next_time": "Write the scope into the contract",
             "warning_signs": ["scope_creep"], "outcomes_achieved": ["end_on_good_terms"]}
    r = client.post(f"/api/handoffs/{first}/retrospective", json=retro, headers=member.headers)
    assert r.status_code == 409 and "ended" in r.get_json()["message"]

    assert post(client, member, f"/api/handoffs/{first}/close")["ended"] is True
    assert post(client, member, f"/api/handoffs/{first}/retrospective", retro, 201)["my_part"] == "I said yes too often"
    post(client, member, f"/api/handoffs/{second}/close")
    post(client, member, f"/api/handoffs/{second}/retrospective",
         {"next_time": "Leave after the first shouting", "warning_signs": ["hostile", "scope_creep"]}, 201)
    assert detail(client, member, first)["retrospective"]["next_time"] == "Write the scope into the contract"

    r = client.get("/api/lessons", headers=member.headers)
    lessons = r.get_json()
    assert lessons["handoffs"] == 2
    assert lessons["by_reason"]["late_payments"] == 1 and lessons["by_reason"]["hostile"] == 1
    assert lessons["by_warning_sign"]["scope_creep"] == 2 and lessons["by_warning_sign"]["hostile"] == 1
    assert lessons["next_time"] == ["Leave after the first shouting", "Write the scope into the contract"]
    assert lessons["by_outcome"]["end_on_good_terms"] == {"wanted": 2, "achieved": 1}
    assert sorted(d["days"] for d in lessons["days_from_first_fact"]) == [5, 85]


@pytest.mark.parametrize("body, field", [
    ({"warning_signs": ["bad_vibes"]}, "warning_signs"),
    ({"outcomes_achieved": ["revenge"]}, "outcomes_achieved"),
    ({}, "what_did_not_work"),
])
def test_a_bad_look_back_is_refused_naming_the_field(client, member, body, field):
    handoff_id = submit(client, member)["id"]
    post(client, member, f"/api/handoffs/{handoff_id}/close")
    r = client.post(f"/api/handoffs/{handoff_id}/retrospective", json=body, headers=member.headers)
    assert r.status_code == 422 and field in r.get_json()["errors"]["json"]


# --- 10: share no more than the colleague needs ---------------------------------------------------


def test_the_tone_check_warns_about_health_beliefs_records_and_the_clients_contact_details(client, member):
    tone = submit(client, member, disclosure="Missed meetings during his cancer treatment and church duties.",
                  facts=[{"date": "2026-10-02", "text": "Was arrested; call +351 912 000 111 or mail q@x.example"}]
                  )["tone"]
    kinds = {(w["field"], w["kind"], w["excerpt"]) for w in tone}
    assert ("disclosure", "special_category", "cancer") in kinds
    assert ("disclosure", "special_category", "church") in kinds
    assert ("facts.0.text", "special_category", "arrested") in kinds
    assert ("facts.0.text", "contact_details", CLIENT["phone"]) in kinds
    assert ("facts.0.text", "contact_details", "q@x.example") in kinds
    assert all("working relationship" in w["message"] for w in tone if w["kind"] == "special_category")
    assert not [w for w in submit(client, member)["tone"] if w["kind"] in ("special_category", "contact_details")]


# --- personal data: erasing the client reaches this part too ------------------------------------


def test_erasing_the_client_blanks_the_second_read_the_letter_and_the_reminders(client, member, app, smtp, work):
    from sqlalchemy import select

    from referral.adapters import orm

    handoff_id = submit(client, member, exit_strategy="bow_out")["id"]
    post(client, member, f"/api/handoffs/{handoff_id}/reviews",
         {"reviewer_email": "rosa@example.net", "note": "About Quentin Gallardo's invoices"}, 201)
    work()
    letter = detail(client, member, handoff_id)["letter"]
    post(client, member, f"/api/handoffs/{handoff_id}/letter", {"body": letter["body"], "go_ahead": True}, 201)
    assert client.delete(f"/api/handoffs/{handoff_id}/client", headers=member.headers).status_code == 204

    work()
    assert smtp.to(CLIENT["email"]) == []  # the letter was not sent after the erasure
    with app.extensions["referral"].uow() as u:
        mail = u.session.execute(select(orm.outbox.c.subject, orm.outbox.c.text_body, orm.outbox.c.to_addr)).all()
    assert len(mail) == 2 and not any(CLIENT["email"] in row.to_addr or "Quentin" in row.subject + row.text_body
                                      for row in mail)
    h = detail(client, member, handoff_id)
    assert h["outcome_note"] == "[erased]" and h["reviews"][0]["note"] == "[erased]"
    assert [t["note"] for t in h["contract_terms"]] == ["[erased]", "", ""]
