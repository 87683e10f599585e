"""Return referrals, the ledger, outcomes and the dashboard, on a real database."""

import re
from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from referral.adapters import orm
from referral.services.ledger import sent_to
from tests.integration.referral_factory import give

JAN = datetime(2026, 1, 10, 9, 0)


def day(n: int) -> datetime:
    return JAN + timedelta(days=n)


@pytest.fixture
def people(member, make_colleague):
    """Maya (the member) and three colleagues: Ben, Cleo, Dan."""
    return {"maya": member.colleague_id, **{k: make_colleague(name=k.title())["id"] for k in ("ben", "cleo", "dan")}}


def test_a_client_sent_back_is_linked_to_the_earliest_one_not_yet_returned(app, people):
    p = people
    first = give(app, p["maya"], p["ben"], day(0))
    second = give(app, p["maya"], p["ben"], day(1))
    back = give(app, p["ben"], p["maya"], day(5))
    assert back["return_of_id"] == first["id"] and back["return_path"] is None
    assert give(app, p["ben"], p["maya"], day(6))["return_of_id"] == second["id"]
    none_left = give(app, p["ben"], p["maya"], day(7))
    assert none_left["return_of_id"] is None and none_left["return_path"] is None


def test_offers_never_accepted_do_not_count(app, people):
    p = people
    give(app, p["maya"], p["ben"], day(0), status="declined")
    give(app, p["maya"], p["ben"], day(1), status="offered")
    assert give(app, p["ben"], p["maya"], day(2))["return_of_id"] is None


def test_a_client_that_comes_back_through_the_network_stores_the_path(app, people):
    p = people
    give(app, p["maya"], p["ben"], day(0), status="completed")
    give(app, p["ben"], p["cleo"], day(2))
    back = give(app, p["cleo"], p["maya"], day(4))
    assert back["return_of_id"] is None and back["return_path"] == [p["maya"], p["ben"], p["cleo"]]


def test_the_ledger_api_counts_per_counterpart(client, app, member, people):
    p = people
    give(app, p["maya"], p["ben"], day(0))
    give(app, p["maya"], p["ben"], day(1))
    give(app, p["ben"], p["maya"], day(2))  # returns the first
    give(app, p["cleo"], p["maya"], day(3))
    give(app, p["maya"], p["dan"], day(4), status="declined")
    r = client.get("/api/ledger", headers=member.headers)
    assert r.status_code == 200
    rows = {row["name"]: row for row in r.get_json()}
    assert set(rows) == {"Ben", "Cleo"}
    ben, cleo = rows["Ben"], rows["Cleo"]
    assert (ben["given"], ben["received"], ben["returned"], ben["balance"], ben["owed"]) == (2, 1, 1, 1, 0)
    assert (cleo["given"], cleo["received"], cleo["returned"], cleo["balance"], cleo["owed"]) == (0, 1, 0, -1, 1)
    assert r.get_json()[0]["name"] == "Cleo"  # whom the member owes comes first
    one = client.get(f"/api/ledger/{p['dan']}", headers=member.headers).get_json()
    assert (one["name"], one["given"], one["received"]) == ("Dan", 0, 0)
    assert client.get("/api/ledger").status_code == 401


def test_sent_to_counts_the_clients_each_colleague_sent_the_member(app, people):
    p = people
    give(app, p["ben"], p["maya"], day(0))
    give(app, p["ben"], p["maya"], day(1), status="completed")
    give(app, p["cleo"], p["maya"], day(2))
    give(app, p["dan"], p["maya"], day(3), status="declined")
    give(app, p["maya"], p["dan"], day(4))
    with app.extensions["referral"].uow() as uow:
        assert sent_to(uow.session, p["maya"]) == {p["ben"]: 2, p["cleo"]: 1}


def _stored(app, referral_id):
    with app.extensions["referral"].uow() as uow:
        return uow.session.execute(select(orm.referrals).where(orm.referrals.c.id == referral_id)).one()


def test_either_side_records_the_outcome_and_the_other_sees_the_thank_you(
        client, app, member, make_member, people, login, clock):
    ben = make_member(name="Ben Member", email="ben.member@example.com")
    r = give(app, member.colleague_id, ben.colleague_id, day(0))
    answer = client.post(f"/api/referrals/{r['id']}/outcome", headers=ben.headers,
                         json={"note": "Signed for a year, thank you!", "value": "£2,400"})
    assert answer.status_code == 201, answer.get_json()
    row = _stored(app, r["id"])
    assert (row.status, row.outcome_note, row.outcome_value, row.outcome_by_id) == (
        "completed", "Signed for a year, thank you!", "£2,400", ben.colleague_id)
    assert row.outcome_at == clock()
    login(member)
    page = client.get("/ledger/").get_data(as_text=True)
    assert "Thank-yous" in page and "Signed for a year, thank you!" in page and "£2,400" in page
    # the giving side may record it too (on a completed referral: the outcome is replaced)
    again = client.post(f"/api/referrals/{r['id']}/outcome", headers=member.headers, json={"note": "Glad it worked"})
    assert again.status_code == 201 and _stored(app, r["id"]).outcome_by_id == member.colleague_id


def test_another_members_referral_answers_404_and_other_statuses_409(client, app, member, make_member, people):
    p = people
    other = make_member(name="Olga Other", email="olga@example.com")
    theirs = give(app, p["ben"], p["cleo"], day(0))
    assert client.post(f"/api/referrals/{theirs['id']}/outcome", headers=other.headers,
                       json={"note": "x"}).status_code == 404
    assert client.post("/api/referrals/99999/outcome", headers=member.headers, json={"note": "x"}).status_code == 404
    declined = give(app, p["maya"], p["ben"], day(1), status="declined")
    r = client.post(f"/api/referrals/{declined['id']}/outcome", headers=member.headers, json={"note": "x"})
    assert r.status_code == 409 and "declined" in r.get_json()["message"]
    mine = give(app, p["maya"], p["ben"], day(2))
    r = client.post(f"/api/referrals/{mine['id']}/outcome", headers=member.headers, json={"note": ""})
    assert r.status_code == 422 and "note" in r.get_json()["errors"]["json"]
    assert _stored(app, mine["id"]).status == "accepted"


def test_the_outcome_form_keeps_what_was_typed_and_says_why(client, app, member, people, login):
    r = give(app, people["maya"], people["ben"], day(0))
    login(member)
    bad = client.post(f"/ledger/referrals/{r['id']}/outcome", data={"note": "", "value": "x" * 101})
    page = bad.get_data(as_text=True)
    assert bad.status_code == 422 and 'id="note-error"' in page and 'id="value-error"' in page
    assert "x" * 101 in page
    good = client.post(f"/ledger/referrals/{r['id']}/outcome", data={"note": "Lovely client", "value": "£900"},
                       follow_redirects=True)
    assert "outcome is recorded" in good.get_data(as_text=True)


def test_the_ledger_page_shows_whom_the_member_owes(client, app, member, people, login):
    give(app, people["cleo"], people["maya"], day(0))
    login(member)
    page = client.get("/ledger/").get_data(as_text=True)
    assert "Whom you owe" in page and "Cleo</a>:" in page and "not been returned yet" in page


def test_the_dashboard_charts_given_and_received_by_month_and_the_return_rate(client, app, member, people, login,
                                                                              clock):
    p = people
    give(app, p["maya"], p["ben"], datetime(2026, 9, 3))
    give(app, p["maya"], p["cleo"], datetime(2026, 10, 3))
    give(app, p["ben"], p["maya"], datetime(2026, 10, 20))  # returns September's
    give(app, p["dan"], p["maya"], datetime(2026, 11, 2))
    login(member)
    home = client.get("/")
    assert home.headers["Location"].endswith("/dashboard/")
    page = client.get("/dashboard/").get_data(as_text=True)
    # October's client to Cleo is 53 days old: too early to say it did not come back
    assert "<svg" in page and 'id="return-rate">100%' in page
    assert "1 of the 1 client you gave came back; 1 given in the last 90 days is not counted yet" in page
    assert re.search(r"October 2026</td><td [^>]*>1</td><td [^>]*>1</td>", page)
    assert re.search(r"November 2026</td><td [^>]*>0</td><td [^>]*>1</td>", page)
    assert re.search(r'id="owes-you"><li>Cleo: 1 client not yet returned', page)
    clock.advance(days=60)
    assert 'id="return-rate">50%' in client.get("/dashboard/").get_data(as_text=True)


def test_a_first_client_given_is_too_early_to_tell_not_a_failure(client, app, member, people, login, clock):
    give(app, people["maya"], people["ben"], clock() - timedelta(days=3))
    login(member)
    page = client.get("/dashboard/").get_data(as_text=True)
    assert 'id="return-rate">Too early to tell' in page and "0%" not in page
    ledger_page = client.get("/ledger/").get_data(as_text=True)
    assert "Who owes you" in ledger_page and "Ben</a>:\n      1 client you sent has not come back yet" in ledger_page


def test_the_demo_history_links_direct_returns_and_the_two_chains_through_the_network(app, runner):
    assert runner.invoke(args=["seed"]).exit_code == 0
    R, C = orm.referrals, orm.colleagues
    with app.extensions["referral"].uow() as uow:
        names = dict(uow.session.execute(select(C.c.id, C.c.name)).all())
        rows = uow.session.execute(select(R.c.from_id, R.c.to_id, R.c.return_of_id, R.c.return_path)).all()
    paths = sorted([names[i] for i in r.return_path] for r in rows if r.return_path)
    assert paths == [["Jonas Albrecht", "Claudia Romero", "Pieter Bakker"],
                     ["Maartje de Vries", "Lotte Smit", "Ciara Dunne"]]
    assert sum(1 for r in rows if r.return_of_id) == 18
