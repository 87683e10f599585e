"""Answers and offers at the same moment: one client never goes to two colleagues, nobody over capacity."""

import threading

import pytest


@pytest.fixture
def app(mail_app):
    return mail_app


def at_once(app, *requests):
    """Run each ``request(test_client)`` in its own thread with its own client, released together."""
    start = threading.Barrier(len(requests))
    results = [None] * len(requests)

    def run(i, request):
        c = app.test_client()
        start.wait()
        results[i] = request(c)

    threads = [threading.Thread(target=run, args=(i, r)) for i, r in enumerate(requests)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def test_two_offers_of_one_client_at_the_same_moment_give_it_to_one_colleague(
    app, client, member, make_colleague, make_handoff
):
    handoff = make_handoff(member)
    ana, bo = make_colleague(name="Ana Ruiz"), make_colleague(name="Bo Berg")

    def offer_to(who):
        return lambda c: c.post(
            f"/api/handoffs/{handoff}/offers", json={"colleague_id": who["id"]}, headers=member.headers
        )

    for _ in range(3):  # a few rounds, so the race is really run
        results = at_once(app, offer_to(ana), offer_to(bo))
        codes = sorted(r.status_code for r in results)
        assert codes == [201, 409], [r.get_json() for r in results]
        winner = next(r.get_json() for r in results if r.status_code == 201)
        client.post(f"/api/referrals/{winner['id']}/withdraw", headers=member.headers)


def test_a_double_click_on_accept_accepts_once_and_sends_the_details_once(app, member, offered, smtp, work):
    accept = offered[1]["accept"]
    click = lambda c: c.post(accept, data={"acknowledged": "yes"})
    results = at_once(app, click, click, click)
    assert sorted(r.status_code for r in results) == [200, 409, 409]
    assert all("used already" in r.get_data(as_text=True) for r in results if r.status_code == 409)
    work()
    assert len(smtp.to("ana@example.org", "Client details")) == 1
    assert len(smtp.to(member.email, "accepted")) == 1


def test_accept_and_decline_at_the_same_moment_record_one_answer(app, client, member, offered, smtp, work):
    referral_id, links = offered
    results = at_once(
        app,
        lambda c: c.post(links["accept"], data={"acknowledged": "yes"}),
        lambda c: c.post(links["decline"], data={"decline_code": "other"}),
    )
    assert sorted(x.status_code for x in results) == [200, 409]
    final = client.get(f"/api/referrals/{referral_id}", headers=member.headers).get_json()["status"]
    work()
    told = [m["Subject"] for m in smtp.to(member.email)]
    assert len(told) == 1 and final in told[0]


def test_a_colleague_is_never_offered_more_clients_than_their_capacity(
    app, client, member, make_member, make_colleague, make_handoff
):
    ana = make_colleague(name="Ana Ruiz", capacity=1)
    others = [make_member(name=f"Member {i}", email=f"m{i}@example.com") for i in range(3)]
    handoffs = [(m, make_handoff(m)) for m in others]

    def offer(m, h):
        return lambda c: c.post(
            f"/api/handoffs/{h}/offers", json={"colleague_id": ana["id"]}, headers=m.headers
        )

    results = at_once(app, *(offer(m, h) for m, h in handoffs))
    assert sorted(r.status_code for r in results) == [201, 409, 409]
    assert all("no free place" in r.get_json()["message"] for r in results if r.status_code == 409)
    assert (
        client.get(f"/api/colleagues/{ana['id']}", headers=member.headers).get_json()["open_referrals"] == 1
    )
