"""Answers teach the ranking, and work spreads fairly among colleagues who fit equally well."""

import pytest

from tests.conftest import links_in


@pytest.fixture
def app(mail_app):
    return mail_app


def candidates(client, member, handoff):
    r = client.get(f"/api/handoffs/{handoff}/candidates", headers=member.headers)
    return r.get_json()["candidates"]


def test_an_outside_my_field_decline_lowers_that_colleague_for_similar_needs_and_says_why(
    client, member, make_colleague, make_handoff, smtp, work
):
    ana = make_colleague(name="Ana Ruiz", email="ana@example.org")
    bo = make_colleague(name="Bo Berg", email="bo@example.org")
    first = make_handoff(member)
    client.post(f"/api/handoffs/{first}/offers", json={"colleague_id": ana["id"]}, headers=member.headers)
    work()
    client.post(links_in(smtp.one("ana@example.org"))["decline"], data={"decline_code": "outside_my_field"})

    similar = make_handoff(member, client={"needs": "Bookkeeping and payroll for a small restaurant."})
    ranked = candidates(client, member, similar)
    assert [c["colleague_id"] for c in ranked] == [bo["id"], ana["id"]]
    why = ranked[1]["explanation"][-1]
    assert why.startswith("declined a similar client on 25 November 2026 as outside their field")
    assert ranked[1]["score"] < ranked[0]["score"]

    different = make_handoff(member, client={"needs": "Annual bookkeeping review for a software startup."})
    assert all("outside their field" not in " ".join(c["explanation"]) for c in candidates(client, member, different))


def test_among_equal_fits_the_colleague_offered_least_recently_comes_first(
    client, member, make_colleague, make_handoff, clock
):
    ana, bo = make_colleague(name="Ana Ruiz"), make_colleague(name="Bo Berg")
    for first, second in ((ana, bo), (bo, ana)):
        r = client.post(f"/api/handoffs/{make_handoff(member)}/offers", json={"colleague_id": first["id"]},
                        headers=member.headers)
        client.post(f"/api/referrals/{r.get_json()['id']}/withdraw", headers=member.headers)
        clock.advance(hours=1)
        ranked = candidates(client, member, make_handoff(member))
        assert [c["colleague_id"] for c in ranked] == [second["id"], first["id"]]
        assert ranked[0]["score"] == ranked[1]["score"]
