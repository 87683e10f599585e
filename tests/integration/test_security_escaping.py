"""Script injection in every free-text field comes out as text: escaped in pages and HTML mail,
plain in the plain-text part, and inserted as text by the network page's script."""

import re
from pathlib import Path

import pytest

from tests.conftest import html_of, text_of
from tests.integration.security_world import build, link, log_in

SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'
PAYLOAD = f"{SCRIPT} {IMG}"
ESCAPED = ("&lt;script&gt;alert(1)&lt;/script&gt;", "&gt;&lt;img src=x onerror=alert(1)&gt;")
RAW = ("<script>alert(1)", "<img src=x")


def assert_escaped(html: str, where: str, must_show: bool = True) -> None:
    for raw in RAW:
        assert raw not in html, f"{where}: raw {raw!r} in the HTML"
    if must_show:
        for escaped in ESCAPED:
            assert escaped in html, f"{where}: {escaped!r} missing"


@pytest.fixture
def app(mail_app):
    return mail_app


@pytest.fixture
def hostile(app, client, member, make_member, make_colleague, clock, smtp, work):
    """Every free-text field filled with the payload, by the API, the forms and the answer links."""
    handoff = {"client": {"name": f"Quentin {PAYLOAD}", "email": "quentin@example.org", "company": PAYLOAD,
                          "phone": PAYLOAD, "industry": PAYLOAD, "budget": PAYLOAD, "location": PAYLOAD,
                          "needs": PAYLOAD},
               "facts": [{"date": "2026-10-02", "text": PAYLOAD}], "disclosure": f"Pays late. {PAYLOAD}"}
    w = build(app, client, member, make_colleague, clock, handoff=handoff, remote=True,
              specialties=["bookkeeping", PAYLOAD], target_clientele=PAYLOAD, location=PAYLOAD)
    named = make_colleague(name=f"Eve {PAYLOAD}", email="eve@example.org")
    log_in(client, member)
    # the answers: Ana declines with a reason; Maya records an outcome and sends the letter
    assert client.post(w.links["decline"], data={"decline_code": "other", "reason": PAYLOAD}).status_code == 200
    assert client.post(f"/ledger/referrals/{w.accepted}/outcome",
                       data={"note": PAYLOAD, "value": PAYLOAD}).status_code == 302
    assert client.post(f"/referrals/{w.accepted}/letter",
                       data={"subject": "Hello", "body": f"Dear Quentin,\n{PAYLOAD}"}).status_code == 302
    work()
    return w, named


PAGES = ["/colleagues/", "/colleagues/{eve}", "/colleagues/{eve}/edit", "/colleagues/{ana}", "/handoffs/",
         "/handoffs/{handoff}", "/referrals/", "/referrals/{offered}", "/referrals/{accepted}", "/ledger/",
         "/mail", "/dashboard/"]


@pytest.mark.parametrize("page", PAGES)
def test_pages_show_the_payload_as_text(client, hostile, page):
    w, eve = hostile
    path = page.format(eve=eve["id"], ana=w.ana["id"], handoff=w.handoff, offered=w.offered, accepted=w.accepted)
    r = client.get(path)
    assert r.status_code == 200
    assert_escaped(r.get_data(as_text=True), path, must_show=page != "/dashboard/")


def test_the_answer_page_shows_the_fair_warning_and_facts_as_text(app, client, member, make_colleague, clock):
    w = build(app, client, member, make_colleague, clock,
              handoff={"facts": [{"date": "2026-10-02", "text": PAYLOAD}], "disclosure": f"Pays late. {PAYLOAD}",
                       "client": {"name": "Quentin", "email": "q@example.org", "needs": PAYLOAD,
                                  "company": PAYLOAD}})
    page = client.get(w.links["accept"]).get_data(as_text=True)
    assert_escaped(page, "answer page")
    r = client.post(w.links["decline"], data={"decline_code": "other", "reason": "x" * 2001 + PAYLOAD})
    assert r.status_code == 422
    assert_escaped(r.get_data(as_text=True), "answer page with an error")


def test_a_form_sent_back_with_errors_keeps_the_payload_as_text(client, member, login):
    login(member)
    r = client.post("/colleagues/new", data={"name": PAYLOAD, "email": "not-an-address", "specialties": PAYLOAD,
                                             "target_clientele": PAYLOAD, "location": PAYLOAD})
    assert r.status_code == 422
    assert_escaped(r.get_data(as_text=True), "colleague form")
    r = client.post("/handoffs/new", data={"client.name": PAYLOAD, "client.email": "nope", "client.needs": PAYLOAD,
                                           "facts-0-date": "2026-10-02", "facts-0-text": PAYLOAD,
                                           "disclosure": PAYLOAD})
    assert r.status_code == 422
    assert_escaped(r.get_data(as_text=True), "handoff form")


def test_mail_is_escaped_in_html_and_plain_in_text(client, member, hostile, smtp):
    messages = [smtp.one("ana@example.org", "refer a client"), smtp.one("ben@example.org", "Client details"),
                smtp.one(member.email, "accepted"), smtp.one(member.email, "declined"),
                smtp.one("quentin@example.org", "Hello")]
    for msg in messages:
        assert_escaped(html_of(msg), msg["Subject"])
        assert PAYLOAD in text_of(msg) or SCRIPT in text_of(msg), msg["Subject"]
        assert "&lt;" not in text_of(msg), msg["Subject"]


def test_the_network_page_inserts_data_as_text_only():
    script = (Path(__file__).resolve().parents[2] / "web" / "static" / "network.js").read_text()
    code = re.sub(r"/\*.*?\*/|//[^\n]*", "", script, flags=re.DOTALL)
    for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function"):
        assert sink not in code, sink
    assert "textContent" in code


def test_the_network_json_carries_the_payload_as_data(client, member, hostile):
    _, eve = hostile
    log_in(client, member)
    panel = client.get(f"/network/colleagues/{eve['id']}.json")
    assert panel.mimetype == "application/json" and panel.get_json()["colleague"]["name"] == f"Eve {PAYLOAD}"
    page = client.get("/network/").get_data(as_text=True)
    assert_escaped(page, "network page", must_show=False)


def test_a_link_in_a_mail_cannot_be_bent_by_the_payload(app, clock, hostile):
    w, _ = hostile
    path = link(app, w.offered, w.ana["id"], "accept", clock())
    assert re.fullmatch(r"/offers/[A-Za-z0-9_.\-]+", path)
