"""A small network for the hostile-input tests, and a parser for the forms on a page.

Maya (the member) has added Ana and Ben; she has a handoff offered to Ana (still open)
and one Ben accepted through his email link. Everything is built through the API and the
answer links, as people would, so the pages have a form of every kind to look at.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from html.parser import HTMLParser

from referral.adapters.links import LinkSigner


class _Forms(HTMLParser):
    def __init__(self):
        super().__init__()
        self.forms: list[dict] = []
        self._open: dict | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self._open = {"action": a.get("action"), "method": (a.get("method") or "get").lower(), "fields": {}}
            self.forms.append(self._open)
        elif tag in ("input", "textarea", "select", "button") and self._open is not None and a.get("name"):
            self._open["fields"].setdefault(a["name"], a.get("value") or "")

    def handle_endtag(self, tag):
        if tag == "form":
            self._open = None


def forms(html: str, page_path: str) -> dict[str, dict]:
    """The page's POST forms by the path they post to (a form without ``action`` posts to the page)."""
    parser = _Forms()
    parser.feed(html)
    out = {}
    for f in parser.forms:
        if f["method"] == "post":
            out[(f["action"] or page_path).removeprefix("http://localhost")] = f["fields"]
    return out


def csrf_from(client, page: str, action: str) -> str:
    """The CSRF token in the form on ``page`` that posts to ``action``."""
    r = client.get(page)
    assert r.status_code == 200, (page, r.status_code)
    found = forms(r.get_data(as_text=True), page)
    assert action in found, f"no form posting to {action} on {page}: {sorted(found)}"
    assert found[action].get("csrf_token"), f"the form posting to {action} on {page} has no CSRF token"
    return found[action]["csrf_token"]


def log_in(client, member) -> None:
    """Log in through the form, token and all (works with CSRF on or off)."""
    token = csrf_from(client, "/login", "/login")
    r = client.post("/login", data={"email": member.email, "password": member.password, "csrf_token": token})
    assert r.status_code == 302, r.data[:300]


def link(app, referral_id: int, colleague_id: int, action: str, now) -> str:
    """The path of an answer link, as the offer email carries it."""
    signer = LinkSigner(app.extensions["referral"].settings.secret_key)
    return "/offers/" + signer.make(referral_id, colleague_id, action, now + timedelta(days=3))


@dataclass
class World:
    ana: dict
    ben: dict
    cleo: dict
    handoff: int  # offered to Ana, still open
    offered: int  # that referral
    accepted_handoff: int
    accepted: int  # Ben accepted it
    fresh_handoff: int  # no offer yet: its page lists candidates with an "Offer" button
    links: dict = field(default_factory=dict)


HANDOFF = {
    "client": {"name": "Quentin Gallardo", "email": "quentin@gallardo-bistro.example", "company": "Gallardo Bistro",
               "location": "Porto", "needs": "Monthly bookkeeping and payroll for a restaurant."},
    "reasons": ["late_payments"],
    "facts": [{"date": "2026-10-02", "text": "Invoice 114 paid 41 days late"}],
    "disclosure": "Pays every invoice about six weeks late, but always pays in the end.",
}


def build(app, client, member, make_colleague, clock, handoff: dict | None = None, **colleague) -> World:
    """The world above; ``handoff`` and ``colleague`` override fields of every handoff and colleague."""
    body = {**HANDOFF, **(handoff or {})}
    ana = make_colleague(name="Ana Ruiz", email="ana@example.org", **colleague)
    ben = make_colleague(name="Ben Okafor", email="ben@example.org", **colleague)
    cleo = make_colleague(name="Cleo Marsh", email="cleo@example.org", **colleague)

    def submit():
        r = client.post("/api/handoffs", json=body, headers=member.headers)
        assert r.status_code == 201, r.get_json()
        return r.get_json()["id"]

    def offer(handoff_id, colleague_id):
        r = client.post(f"/api/handoffs/{handoff_id}/offers", json={"colleague_id": colleague_id},
                        headers=member.headers)
        assert r.status_code == 201, r.get_json()
        return r.get_json()["id"]

    handoff_id, accepted_handoff = submit(), submit()
    offered = offer(handoff_id, ana["id"])
    accepted = offer(accepted_handoff, ben["id"])
    from referral.services import answers

    claims = LinkSigner(app.extensions["referral"].settings.secret_key).read(
        link(app, accepted, ben["id"], "accept", clock()).removeprefix("/offers/"), clock())
    answers.accept(app.extensions["referral"].uow(), app.extensions["referral"].settings, referral_id=accepted,
                  colleague_id=ben["id"], jti=claims.jti, acknowledged=True, now=clock())
    world = World(ana, ben, cleo, handoff_id, offered, accepted_handoff, accepted, submit())
    world.links = {action: link(app, offered, ana["id"], action, clock()) for action in ("accept", "decline")}
    return world
