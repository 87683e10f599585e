"""No offer goes quiet: the handoff's audit trail, the member's news and digest, undo, figures and CSV."""

import csv
import io

import pytest

from tests.conftest import links_in, text_of


@pytest.fixture
def app(mail_app):
    return mail_app



def waterfall(client, member, handoff, colleagues, hours_each=5):
    r = client.post(f"/api/handoffs/{handoff}/offers", headers=member.headers,
                    json={"mode": "waterfall", "colleague_ids": [c["id"] for c in colleagues],
                          "hours_each": hours_each})
    assert r.status_code == 201, r.get_json()
    return r.get_json()["referrals"][0]["id"]


def history_rows(client, handoff):
    html = client.get(f"/handoffs/{handoff}").get_data(as_text=True)
    section = html.split('id="history"', 1)[1].split("</section>", 1)[0]
    return [row for row in section.split("<tr>")[2:]]


def test_the_handoff_page_shows_who_did_what_and_when_for_every_change(
    client, member, login, three, make_handoff, smtp, work, clock
):
    handoff = make_handoff(member)
    first = waterfall(client, member, handoff, three[:2])
    work()
    clock.advance(minutes=30)
    client.post(links_in(smtp.one("ana@example.org"))["decline"],
                data={"decline_code": "conflict_of_interest", "reason": "I advise their landlord."})
    clock.advance(hours=5)
    work()  # Bo's step runs out: the waterfall has no one left
    login(member)
    r = client.post(f"/referrals/{first}/reopen", data={"reason": "Ana meant to accept, she wrote to me"})
    assert r.status_code == 302
    rows = history_rows(client, handoff)
    expected = [
        ("25 Nov 2026 09:00", "Maya Brenner", "Offered to Ana Ruiz"),
        ("25 Nov 2026 09:30", "Ana Ruiz", ("Ana Ruiz declined Quentin Gallardo: a conflict of interest. "
                                          "Their note: \u201cI advise their landlord.\u201d Offered next to Bo Berg.")),
        ("25 Nov 2026 09:30", "Maya Brenner", "Offered to Bo Berg"),
        ("25 Nov 2026 14:30", "The service", "Bo Berg did not answer in time"),
        ("25 Nov 2026 14:30", "Maya Brenner", ("The answer \u201cdeclined\u201d from Ana Ruiz was undone: "
                                              "Ana meant to accept, she wrote to me")),
    ]
    assert len(rows) == len(expected)
    for row, (when, who, what) in zip(rows, expected, strict=True):
        assert when in row and f"<td>{who}</td>" in row and what in row.replace("&#34;", '"'), row
    assert client.get(f"/api/referrals/{first}", headers=member.headers).get_json()["status"] == "offered"
    work()
    assert len(smtp.to("ana@example.org", "refer a client")) == 2  # fresh links after the undo


def test_a_withdrawn_or_placed_answer_cannot_be_reopened_and_a_reason_is_needed(
    client, member, login, three, make_handoff, smtp, work
):
    r = client.post(f"/api/handoffs/{make_handoff(member)}/offers", json={"colleague_id": three[0]["id"]},
                    headers=member.headers)
    referral = r.get_json()["id"]
    client.post(f"/api/referrals/{referral}/withdraw", headers=member.headers)
    login(member)
    page = client.post(f"/referrals/{referral}/reopen", data={"reason": "oops"}, follow_redirects=True)
    assert "cannot be reopened" in page.get_data(as_text=True)
    empty = client.post(f"/referrals/{referral}/reopen", data={"reason": " "}, follow_redirects=True)
    assert "Say why the answer was wrong" in empty.get_data(as_text=True)
    assert client.get(f"/api/referrals/{referral}", headers=member.headers).get_json()["status"] == "withdrawn"


def test_the_dashboard_shows_news_acceptance_rate_and_median_time_to_answer(
    client, member, login, three, make_handoff, smtp, work, clock
):
    for colleague, answer, wait in ((three[0], "accept", 2), (three[1], "decline", 4)):
        r = client.post(f"/api/handoffs/{make_handoff(member)}/offers", json={"colleague_id": colleague["id"]},
                        headers=member.headers)
        assert r.status_code == 201
        work()
        clock.advance(hours=wait)
        link = links_in(smtp.one(colleague["email"]))[answer]
        client.post(link, data={"acknowledged": "yes", "decline_code": "budget_too_low"})
    login(member)
    html = client.get("/dashboard/").get_data(as_text=True)
    assert 'id="acceptance-rate">50%' in html
    assert 'id="median-answer">3.0 h' in html  # answers after 2 and 4 hours
    news = html.split('class="news"', 1)[1].split("</ul>", 1)[0]
    assert news.index("Bo Berg declined Quentin Gallardo: the budget is too low.") < news.index("Ana Ruiz accepted")


def test_a_member_who_chose_the_digest_gets_one_mail_a_day_with_every_change(
    client, member, login, three, make_handoff, smtp, work, clock
):
    login(member)
    assert client.post("/referrals/digest", data={"daily_digest": "on"}).status_code == 302
    handoff = make_handoff(member)
    waterfall(client, member, handoff, three)
    work()
    client.post(links_in(smtp.one("ana@example.org"))["decline"], data={"decline_code": "no_capacity"})
    work()
    client.post(links_in(smtp.one("bo@example.org"))["accept"], data={"acknowledged": "yes"})
    work()
    assert not smtp.to(member.email)  # no mail per change...
    clock.advance(hours=22)  # ...until the next morning's digest
    work()
    digest = smtp.one(member.email, "Your offers on 26 November 2026: 2 changes")
    body = text_of(digest)
    assert "Ana Ruiz declined Quentin Gallardo: no room for another client right now." in body
    assert "Bo Berg accepted Quentin Gallardo." in body
    clock.advance(hours=1)
    work()
    assert len(smtp.to(member.email)) == 1


def test_the_csv_of_referrals_has_the_columns_and_neutralises_formula_cells(
    client, member, login, make_colleague, make_handoff, smtp, work, clock
):
    evil = make_colleague(name="@SUM(A1:A9)", email="evil@example.org")
    handoff = make_handoff(member, client={"name": "=HYPERLINK(\"http://x.example\",\"hi\")"})
    r = client.post(f"/api/handoffs/{handoff}/offers", json={"colleague_id": evil["id"]}, headers=member.headers)
    work()
    clock.advance(hours=1, minutes=30)
    client.post(links_in(smtp.one("evil@example.org"))["decline"], data={"decline_code": "outside_my_field"})
    login(member)
    got = client.get("/referrals/export.csv")
    assert got.mimetype == "text/csv" and "attachment" in got.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(got.get_data(as_text=True))))
    assert rows[0] == ["referral_id", "handoff_id", "client", "colleague", "status", "offered_at", "answered_at",
                       "hours_to_answer", "decline_code", "outcome_value"]
    assert rows[1] == [str(r.get_json()["id"]), str(handoff), "'=HYPERLINK(\"http://x.example\",\"hi\")",
                       "'@SUM(A1:A9)", "declined", "2026-11-25T09:00Z", "2026-11-25T10:30Z", "1.5",
                       "outside_my_field", ""]
    assert all(not cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)


def test_another_members_csv_and_dashboard_show_none_of_my_referrals(
    client, member, make_member, login, three, make_handoff
):
    client.post(f"/api/handoffs/{make_handoff(member)}/offers", json={"colleague_id": three[0]["id"]},
                headers=member.headers)
    login(make_member(name="Otto Lind", email="otto@example.com"))
    assert client.get("/referrals/export.csv").get_data(as_text=True).count("\n") == 1  # the header only
    assert "Quentin" not in client.get("/dashboard/").get_data(as_text=True)
