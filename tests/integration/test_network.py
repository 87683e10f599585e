"""The network graph as JSON, GraphML and GEXF; kept current across app instances."""

import io
from datetime import date, datetime

import networkx as nx
import pytest

from tests.conftest import make_app
from tests.integration.referral_factory import give

WHEN = datetime(2026, 6, 1, 9, 0)


@pytest.fixture
def chain(client, member, make_colleague):
    """Maya knows Ben, Ben knows Cleo, Cleo knows Dan (a line), and Eve knows no one."""
    ids = {"maya": member.colleague_id}
    ids["ben"] = make_colleague(name="Ben Bookkeeper", specialties=["bookkeeping"])["id"]
    ids["cleo"] = make_colleague(name="Cleo Coder", specialties=["web design", "Shopify"], capacity=1)["id"]
    ids["dan"] = make_colleague(name="Dan Designer", specialties=["web design"], paused_until="2027-01-01")["id"]
    ids["eve"] = make_colleague(name="Eve Elsewhere", specialties=["photography"])["id"]
    client.post("/api/connections", json={"colleague_id": ids["ben"]}, headers=member.headers)
    for a, b in (("ben", "cleo"), ("cleo", "dan")):
        _connect(member.app, ids[a], ids[b])
    return ids


def _connect(app, a, b):
    from referral.domain.model import Connection
    with app.extensions["referral"].uow() as uow:
        uow.session.add(Connection(a, b, WHEN))
        uow.commit()


def _get(client, member, query=""):
    r = client.get(f"/api/network{query}", headers=member.headers)
    assert r.status_code == 200, r.get_json()
    body = r.get_json()
    return {n["id"]: n for n in body["nodes"]}, body["edges"], body


def test_the_graph_starts_from_the_members_neighbourhood(client, member, chain):
    nodes, edges, body = _get(client, member)
    assert body["center"] == chain["maya"]
    assert set(nodes) == {chain["maya"], chain["ben"], chain["cleo"]}  # two hops
    assert nodes[chain["maya"]]["me"] and nodes[chain["cleo"]]["hops"] == 2
    assert {(e["source"], e["target"], e["kind"]) for e in edges} == {
        (min(chain["maya"], chain["ben"]), max(chain["maya"], chain["ben"]), "knows"),
        (chain["ben"], chain["cleo"], "knows")}
    nodes, _, _ = _get(client, member, f"?center={chain['dan']}&depth=1")
    assert set(nodes) == {chain["cleo"], chain["dan"]}


def test_referral_and_return_flows_are_directed_edges(client, app, member, chain):
    c = chain
    give(app, c["maya"], c["ben"], WHEN)
    give(app, c["maya"], c["ben"], WHEN)
    give(app, c["ben"], c["cleo"], WHEN)
    give(app, c["cleo"], c["maya"], WHEN)  # back through the network
    give(app, c["ben"], c["maya"], WHEN)   # a direct return
    give(app, c["cleo"], c["ben"], WHEN, status="declined")
    _, edges, _ = _get(client, member)
    flows = {(e["source"], e["target"], e["kind"]): e for e in edges if e["kind"] != "knows"}
    assert set(flows) == {(c["maya"], c["ben"], "referral"), (c["ben"], c["cleo"], "referral"),
                          (c["cleo"], c["maya"], "return"), (c["ben"], c["maya"], "return")}
    assert flows[(c["maya"], c["ben"], "referral")]["count"] == 2
    assert flows[(c["cleo"], c["maya"], "return")]["paths"] == [[c["maya"], c["ben"], c["cleo"]]]
    assert len(flows[(c["ben"], c["maya"], "return")]["returns"]) == 1


def test_filters_by_specialty_availability_and_my_network(client, app, member, chain, clock):
    c = chain
    clock.now = datetime(2026, 11, 25, 9, 0)
    give(app, c["eve"], c["cleo"], WHEN)  # Cleo's one place is taken; Eve is a counterpart of no one's
    give(app, c["eve"], c["maya"], WHEN)  # Eve is in Maya's own network through a referral
    nodes, _, _ = _get(client, member, "?depth=3&specialty=WEB")
    assert set(nodes) == {c["maya"], c["cleo"], c["dan"]}  # the center stays as the anchor
    nodes, _, _ = _get(client, member, "?all=true&specialty=websites")  # read as matching reads it
    assert {c["cleo"], c["dan"]} <= set(nodes) and c["eve"] not in nodes
    nodes, _, _ = _get(client, member, "?depth=1")
    assert nodes[c["eve"]]["hops"] == 1  # sent Maya a client: one step away though not "known"
    nodes, _, _ = _get(client, member, "?depth=3&available=true")
    assert set(nodes) == {c["maya"], c["ben"], c["eve"]}  # Cleo is full, Dan paused
    assert not _get(client, member, "?all=true")[0][c["cleo"]]["available"]
    nodes, _, _ = _get(client, member, "?all=true&mine=true")
    assert set(nodes) == {c["maya"], c["ben"], c["eve"]}


def test_the_whole_graph_and_bad_queries(client, member, chain):
    nodes, edges, body = _get(client, member, "?all=true")
    assert set(nodes) == set(chain.values()) and body["center"] is None
    assert sum(e["kind"] == "knows" for e in edges) == 3
    assert all(n["hops"] is None for n in nodes.values())
    assert client.get("/api/network?center=99999", headers=member.headers).status_code == 404
    r = client.get("/api/network?depth=99", headers=member.headers)
    assert r.status_code == 422 and "depth" in r.get_json()["errors"]["query"]
    assert client.get("/api/network").status_code == 401


@pytest.mark.parametrize("fmt, read", [("graphml", nx.read_graphml), ("gexf", nx.read_gexf)])
def test_downloads_parse_back_with_networkx(client, app, member, chain, fmt, read):
    give(app, chain["maya"], chain["ben"], WHEN)
    r = client.get(f"/api/network.{fmt}?all=true", headers=member.headers)
    assert r.status_code == 200 and fmt in r.headers["Content-Type"]
    assert f"network.{fmt}" in r.headers["Content-Disposition"]
    g = read(io.BytesIO(r.data))
    assert g.number_of_nodes() == 5
    kinds = sorted(d["kind"] for _, _, d in g.edges(data=True))
    assert kinds == ["knows", "knows", "knows", "referral"]
    labels = {d["label"] for _, d in g.nodes(data=True)}
    assert "Cleo Coder" in labels


def test_a_change_through_one_app_shows_in_the_next_answer_of_another(database_url, tmp_path, clock, client,
                                                                       member, chain):
    other = make_app(database_url, tmp_path, clock)
    try:
        c2 = other.test_client()
        before = c2.get("/api/network?all=true", headers=member.headers).get_json()
        assert len(before["nodes"]) == 5
        # through the first app: a new colleague, a new acquaintance, a rename, a referral
        new = client.post("/api/colleagues", headers=member.headers, json={
            "name": "Finn New", "email": "finn@example.org", "specialties": ["law"]}).get_json()
        client.post("/api/connections", json={"colleague_id": new["id"]}, headers=member.headers)
        client.patch(f"/api/colleagues/{chain['eve']}", json={"name": "Eve Renamed"}, headers=member.headers)
        give(member.app, chain["maya"], new["id"], WHEN)
        nodes, edges, _ = _get(c2, member, "")
        assert nodes[new["id"]]["name"] == "Finn New" and nodes[new["id"]]["hops"] == 1
        assert any(e["kind"] == "referral" and e["target"] == new["id"] for e in edges)
        everyone, _, _ = _get(c2, member, "?all=true")
        assert everyone[chain["eve"]]["name"] == "Eve Renamed"
        client.delete(f"/api/colleagues/{chain['eve']}", headers=member.headers)
        assert chain["eve"] not in _get(c2, member, "?all=true")[0]
        assert other.extensions["referral"].match_state.live.full_loads == 1  # patched, never rebuilt
    finally:
        other.extensions["referral"].engine.dispose()


def test_the_network_page_and_its_data_need_a_login(client, member, chain, login):
    assert client.get("/network/").status_code == 302
    login(member)
    page = client.get("/network/").get_data(as_text=True)
    assert "/vendor/cytoscape/dist/cytoscape.min.js" in page and "network.js" in page
    assert "network.graphml" in page and "network.gexf" in page
    data = client.get("/network/graph.json?depth=1").get_json()
    assert {n["id"] for n in data["nodes"]} == {chain["maya"], chain["ben"]}
    panel = client.get(f"/network/colleagues/{chain['cleo']}.json").get_json()
    assert panel["colleague"]["name"] == "Cleo Coder" and panel["colleague"]["capacity"] == 1
    assert panel["ledger"]["given"] == 0
    assert client.get("/network/colleagues/99999.json").status_code == 404
    assert client.get("/network/graph.json?depth=x").get_json()["code"] == 422
    assert client.get("/network/network.gexf?all=true").status_code == 200
    hits = client.get("/network/search.json?q=cleo").get_json()
    assert hits == [{"id": chain["cleo"], "name": "Cleo Coder"}]


def test_browser_libraries_come_from_node_modules_and_nothing_else_does(client):
    r = client.get("/vendor/cytoscape/dist/cytoscape.min.js")
    assert r.status_code == 200 and b"cytoscape" in r.data[:2000]
    r.close()
    for path in ("/vendor/cytoscape/package.json", "/vendor/../pyproject.toml", "/vendor/cytoscape/dist/nope.js"):
        assert client.get(path).status_code == 404, path


def test_paused_until_is_an_iso_date(client, member, chain):
    nodes, _, _ = _get(client, member, "?all=true")
    assert date.fromisoformat(nodes[chain["dan"]]["paused_until"]) == date(2027, 1, 1)


def test_the_whole_graph_shows_a_referral_made_after_it_was_first_drawn_in_every_process(
        client, app, member, chain, database_url, tmp_path, clock):
    other = make_app(database_url, tmp_path / "second", clock)
    try:
        c2 = other.test_client()
        flows = lambda cl: {(e["source"], e["target"], e["kind"], e["count"])
                            for e in _get(cl, member, "?all=true")[1] if e["kind"] != "knows"}
        assert flows(client) == flows(c2) == set()  # drawn once: both processes keep its flows
        give(app, chain["maya"], chain["ben"], WHEN)
        give(app, chain["maya"], chain["ben"], WHEN, status="declined")  # not counted
        assert flows(client) == flows(c2) == {(chain["maya"], chain["ben"], "referral", 1)}
        give(other, chain["ben"], chain["maya"], WHEN)  # a return, through the second process
        assert flows(client) == flows(c2) == {(chain["maya"], chain["ben"], "referral", 1),
                                              (chain["ben"], chain["maya"], "return", 1)}
    finally:
        other.extensions["referral"].engine.dispose()


def test_the_graph_travels_gzipped_to_a_client_that_accepts_it(client, member, chain):
    import gzip
    import json

    plain = client.get("/api/network?all=true", headers=member.headers)
    packed = client.get("/api/network?all=true", headers={**member.headers, "Accept-Encoding": "gzip"})
    assert packed.headers["Content-Encoding"] == "gzip" and len(packed.data) < len(plain.data)
    assert json.loads(gzip.decompress(packed.data)) == plain.get_json()
