"""The change log is kept by the unit of work: any change, through any use case, reaches other processes."""

import pytest

from referral.domain.model import Colleague, Connection
from tests.conftest import make_app

HANDOFF = {
    "client": {"name": "Owen Pritchard", "email": "owen@example.co.uk", "industry": "restaurant",
               "needs": "Monthly bookkeeping and payroll"},
    "reasons": ["late_payments"], "facts": [], "disclosure": "Pays late.",
}


@pytest.fixture
def second(database_url, tmp_path, clock):
    """Another process's app on the same database (another gunicorn worker or machine)."""
    other = make_app(database_url, tmp_path / "second", clock)
    yield other
    other.extensions["referral"].engine.dispose()


def _ranked(client, member, handoff_id):
    r = client.get(f"/api/handoffs/{handoff_id}/candidates", headers=member.headers)
    return [c["colleague_id"] for c in r.get_json()["candidates"]]


def test_a_change_written_by_any_use_case_is_ranked_by_another_process_without_bookkeeping(
        app, client, member, make_colleague, second, clock):
    ana = make_colleague(name="Ana Ruiz", specialties=["bookkeeping", "payroll"])
    handoff_id = client.post("/api/handoffs", json=HANDOFF, headers=member.headers).get_json()["id"]
    other = second.test_client()
    assert _ranked(other, member, handoff_id) == [ana["id"]]  # the second process has loaded its state

    # a use case that only changes objects in its unit of work, and says nothing about the log
    with app.extensions["referral"].uow() as uow:
        uow.session.get(Colleague, ana["id"]).update(clock(), capacity=0)
        uow.session.add(Colleague("Ben Ode", "ben@example.org", ["bookkeeping", "payroll"], now=clock()))
        uow.commit()

    ranked = _ranked(other, member, handoff_id)
    assert ana["id"] not in ranked and len(ranked) == 1  # Ana is full; Ben, new, is there


def test_a_connection_made_in_one_process_shows_in_the_others_graph(app, client, member, make_colleague, second,
                                                                    clock):
    ana = make_colleague(name="Ana Ruiz")
    other = second.test_client()
    assert ana["id"] not in {n["id"] for n in other.get("/api/network", headers=member.headers).get_json()["nodes"]}
    with app.extensions["referral"].uow() as uow:
        a, b = sorted((member.colleague_id, ana["id"]))
        uow.session.add(Connection(a, b, clock()))
        uow.commit()
    nodes = {n["id"] for n in other.get("/api/network", headers=member.headers).get_json()["nodes"]}
    assert ana["id"] in nodes


def test_an_imported_batch_is_ranked_by_another_process(client, runner, member, second, tmp_path):
    handoff_id = client.post("/api/handoffs", json=HANDOFF, headers=member.headers).get_json()["id"]
    other = second.test_client()
    assert _ranked(other, member, handoff_id) == []
    path = tmp_path / "c.csv"
    path.write_text("name,email,specialties\nAna Ruiz,ana@example.org,bookkeeping;payroll\n"
                    "Ben Ode,ben@example.org,bookkeeping\n")
    assert runner.invoke(args=["colleagues", "import", str(path)]).exit_code == 0
    assert len(_ranked(other, member, handoff_id)) == 2
