"""Letting go with care in the web pages: the form, the handoff page's parts, the second reader's page,
the look back and the Lessons page."""

import re

import pytest

from tests.conftest import found, text_of
from tests.integration.conftest import CLIENT


@pytest.fixture
def app(mail_app):
    return mail_app


FORM = {
    "client.name": CLIENT["name"], "client.email": CLIENT["email"], "client.phone": CLIENT["phone"],
    "client.needs": CLIENT["needs"], "reasons": ["late_payments"],
    "facts-0-date": "2026-10-02", "facts-0-text": "Invoice 114 paid 41 days late",
    "disclosure": "Pays invoices about six weeks late.", "exit_strategy": "bow_out", "finish_by": "2026-12-05",
    "desired_outcomes": ["recover_payment"], "outcome_note": "Invoice 121 paid first",
    "terms-0-term": "Payroll handover notes", "terms-0-due": "2026-12-01", "terms-0-met_by_me": "no",
    "terms-0-met_by_client": "yes", "terms-0-note": "",
    "tone_ok": "on",
}


def handoff_page(client, **changes):
    r = client.post("/handoffs/new", data={**FORM, **changes})
    assert r.status_code == 302, r.get_data(as_text=True)[:2000]
    return r.headers["Location"]


def test_a_bad_term_answer_keeps_everything_typed_and_names_the_field(client, member, login):
    login(member)
    r = client.post("/handoffs/new", data={**FORM, "terms-0-met_by_me": "maybe"})
    page = r.get_data(as_text=True)
    assert r.status_code == 422 and "Must be one of: yes, partly, no." in page
    assert 'value="Payroll handover notes"' in page and "Invoice 121 paid first" in page
    assert re.search(r'value="recover_payment" checked', page)


def test_every_practice_works_end_to_end_in_the_pages(client, member, login, smtp, work, clock):
    login(member)
    url = handoff_page(client)
    page = client.get(url).get_data(as_text=True)
    assert "10 days left" in page and "Put this right before you let go." in page and "Payroll handover notes" in page
    assert "no colleague is needed" in page  # bowing out: the letter goes without an offer

    handoff_id = int(url.rstrip("/").rsplit("/", 1)[1])
    r = client.post(f"/handoffs/{handoff_id}/terms/0/fix", follow_redirects=True)
    assert "Everything on your side is met." in r.get_data(as_text=True)

    r = client.post(f"/handoffs/{handoff_id}/reviews", data={"reviewer_email": "not-an-email", "note": "Fair?"})
    assert r.status_code == 422 and 'value="not-an-email"' in r.get_data(as_text=True)
    client.post(f"/handoffs/{handoff_id}/reviews", data={"reviewer_email": "rosa@example.net",
                                                         "reviewer_name": "Rosa Lind", "note": "Fair?"})
    page = client.get(url).get_data(as_text=True)
    assert "The letter waits for the second read" in page

    work()
    link = found(r"^Read and answer:\n(\S+)$", text_of(smtp.one("rosa@example.net")), re.MULTILINE).group(1)
    link = link.removeprefix("http://localhost:5000")
    client.post("/logout")  # the reviewer has no account
    assert CLIENT["email"] not in client.get(link).get_data(as_text=True)
    client.post(link, data={"verdict": "suggest_changes", "comment": "Say 'about six weeks', not more."})

    login(member)
    page = client.get(url).get_data(as_text=True)
    assert "Rosa Lind</strong>:" in page and "suggests changes" in page and "not more." in page

    r = client.post(f"/handoffs/{handoff_id}/letter", data={"subject": "Finishing", "body": "Dear Quentin, ...",
                                                            "action": "send"}, follow_redirects=True)
    assert "Sent from here" in r.get_data(as_text=True)  # the answer is in: nothing waits any more
    clock.advance(hours=25)
    work()
    assert CLIENT["phone"] in text_of(smtp.one(member.email, "Call"))

    r = client.post(f"/handoffs/{handoff_id}/close", follow_redirects=True)
    assert "Save my look back" in r.get_data(as_text=True)
    r = client.post(f"/handoffs/{handoff_id}/retrospective", data={"my_part": ""})
    assert r.status_code == 422 and "Write at least one thing you noticed." in r.get_data(as_text=True)
    r = client.post(f"/handoffs/{handoff_id}/retrospective",
                    data={"next_time": "Agree the payment terms in writing", "warning_signs": ["late_payments"],
                          "outcomes_achieved": ["recover_payment"]}, follow_redirects=True)
    assert "Saved. You can change it" in r.get_data(as_text=True)

    lessons = client.get("/lessons/").get_data(as_text=True)
    assert "Agree the payment terms in writing" in lessons and "<svg" in lessons
    assert "Frequent late payments: the reason 1 times, seen early 1 times." in lessons
