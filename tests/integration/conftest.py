"""Integration fixtures for offers: handoffs built through a unit of work, the app sending to the SMTP server."""

from __future__ import annotations

from datetime import date
from typing import TypedDict, Unpack

import pytest

from referral.domain.model import ContractTerm, Fact, Handoff
from tests.conftest import Member, links_in, make_app

CLIENT = {
    "name": "Quentin Gallardo",
    "email": "quentin@gallardo-bistro.example",
    "phone": "+351 912 000 111",
    "company": "Gallardo Bistro",
    "industry": "hospitality",
    "budget": "2,000 EUR a month",
    "location": "Porto",
    "needs": "Monthly bookkeeping and payroll for a 12-person restaurant.",
}


class HandoffFields(TypedDict, total=False):
    """The arguments of ``Handoff`` a test may set, with their types, so a wrong one fails lint."""

    reasons: list[str]
    facts: list[Fact]
    disclosure: str
    exit_strategy: str
    finish_by: date | None
    auto_cascade: bool
    desired_outcomes: list[str] | None
    outcome_note: str
    contract_terms: list[ContractTerm] | None


@pytest.fixture
def make_handoff(app, clock):
    """``make_handoff(member, **overrides)``: a stored handoff's id (overrides: ``client={...}`` merges)."""

    def make(member: Member, client: dict | None = None, **overrides: Unpack[HandoffFields]) -> int:
        fields: HandoffFields = {
            "reasons": ["late_payments"],
            "facts": [Fact(date(2026, 10, 2), "Invoice 114 paid 41 days late")],
            "disclosure": "Pays every invoice about six weeks late, but always pays in the end.",
            "exit_strategy": "refer_elsewhere",
            "finish_by": date(2026, 12, 18),
            "auto_cascade": False,
        }
        fields.update(overrides)
        with app.extensions["referral"].uow() as uow:
            handoff = Handoff(member.id, {**CLIENT, **(client or {})}, now=clock(), **fields)
            uow.session.add(handoff)
            uow.session.flush()
            handoff_id = handoff.id
            uow.commit()
        return handoff_id

    return make


@pytest.fixture
def mail_app(database_url, tmp_path, clock, smtp):
    """The app with SMTP_URL pointing at the in-process server."""
    app = make_app(database_url, tmp_path, clock, ENV={"SMTP_URL": smtp.url})
    yield app
    app.extensions["referral"].engine.dispose()


@pytest.fixture
def work(runner):
    """Run one round of the mail worker, as ``flask --app web outbox work --once``."""

    def run():
        r = runner.invoke(args=["outbox", "work", "--once"])
        assert r.exit_code == 0, r.output
        return r.output

    return run

@pytest.fixture
def offered(client, member, make_colleague, make_handoff, smtp, work):
    """An open offer to Ana; returns (referral id, {"accept": path, "decline": path})."""
    ana = make_colleague(name="Ana Ruiz", email="ana@example.org")
    r = client.post(
        f"/api/handoffs/{make_handoff(member)}/offers",
        json={"colleague_id": ana["id"]},
        headers=member.headers,
    )
    work()
    return r.get_json()["id"], links_in(smtp.one("ana@example.org"))


@pytest.fixture
def three(make_colleague):
    """Three colleagues who fit the client equally well (so the ranking's ties are theirs to share)."""
    return [
        make_colleague(name=n, email=f"{n.split()[0].lower()}@example.org")
        for n in ("Ana Ruiz", "Bo Berg", "Cy Dunn")
    ]
