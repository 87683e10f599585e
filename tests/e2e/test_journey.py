"""A member hands a client to a new colleague, who accepts by email; later a client comes back.

One journey through the real pages in Chromium, against the app on a live server that
mails an in-process SMTP server: the links the test follows are the ones in the emails.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.conftest import found, links_in, text_of

pytestmark = pytest.mark.e2e

MAYA = {"name": "Maya Brenner", "email": "maya@example.com", "password": "correct-horse-1"}
ANA = {"name": "Ana Ruiz", "email": "ana@example.org", "password": "battery-staple-2"}

# The network before Maya logs in: herself (a web designer) and two colleagues, one a close fit.
NETWORK_CSV = """name,email,specialties,target_clientele,capacity,location,remote
Maya Brenner,maya@example.com,web design;branding,small shops and bakeries,3,Porto,true
Ben Ode,ben@example.org,bookkeeping;VAT returns,charities and community groups,3,Lisbon,true
Tom Park,tom@example.org,wedding photography,couples,3,Porto,true
"""

CLIENT = {
    "client.name": "Quentin Gallardo",
    "client.email": "quentin@gallardo-bistro.example",
    "client.phone": "+351 912 000 111",
    "client.company": "Gallardo Bistro",
    "client.industry": "restaurant",
    "client.location": "Porto",
    "client.needs": "Monthly bookkeeping and payroll for a 12-person restaurant.",
}
DISCLOSURE = "Paid the last five invoices about six weeks late, each of them in full in the end."


class Journey:
    """The steps' shared parts: the app's command line, the mail worker, numbered screenshots."""

    def __init__(self, app, smtp, artifacts):
        self.app, self.smtp, self.artifacts, self.shots = app, smtp, artifacts, 0
        self.base = app.base_url

    def cli(self, *args: str) -> str:
        result = self.app.test_cli_runner().invoke(args=list(args))
        assert result.exit_code == 0, result.output
        return result.output

    def deliver_mail(self) -> None:
        """One round of the mail worker, as ``flask --app web outbox work --once``."""
        self.cli("outbox", "work", "--once")

    def shot(self, page, name: str) -> None:
        self.shots += 1
        page.screenshot(path=str(self.artifacts / f"journey-{self.shots:02d}-{name}.png"), full_page=True)


def log_in(page, base: str, who: dict) -> None:
    page.goto(f"{base}/login")
    page.get_by_label("Email").fill(who["email"])
    page.get_by_label("Password").fill(who["password"])
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name=f"Dashboard {who['name']}")).to_be_visible()
    expect(page.locator("header .who")).to_have_text(who["name"])


def fill_handoff(page, fields: dict, reason: str, disclosure: str, facts=(), finish_by: str = "") -> None:
    for name, value in fields.items():
        page.locator(f"[name='{name}']").fill(value)
    page.get_by_label(reason).check()
    for i, (day, text) in enumerate(facts):
        page.locator(f"[name='facts-{i}-date']").fill(day)
        page.locator(f"[name='facts-{i}-text']").fill(text)
    page.get_by_label("Fair warning").fill(disclosure)
    if finish_by:
        page.get_by_label("I finish current work until").fill(finish_by)


def accept_offer(page, url: str, journey: Journey, shot: str, client_name: str) -> None:
    """Open an offer's Accept link, read the fair warning (the client stays anonymous), accept."""
    page.goto(url)
    expect(page.get_by_role("heading", name="Fair warning")).to_be_visible()
    expect(page.locator("main")).not_to_contain_text(client_name)
    journey.shot(page, shot)
    page.get_by_label("I have read the fair warning").check()
    page.get_by_role("button", name="Accept the client").click()
    expect(page.get_by_role("heading", name="Thank you: the client is yours")).to_be_visible()


def test_a_client_handed_to_a_new_colleague_is_accepted_by_email_and_one_comes_back(
    page, new_context, mail_live_app, smtp, artifacts, tmp_path
):
    journey = Journey(mail_live_app, smtp, artifacts)
    base = journey.base
    (tmp_path / "network.csv").write_text(NETWORK_CSV, encoding="utf-8")
    journey.cli("colleagues", "import", str(tmp_path / "network.csv"))
    journey.cli("member", "create", MAYA["name"], MAYA["email"], "--password", MAYA["password"])

    # Maya logs in and adds a colleague she met, Ana, through the directory form
    log_in(page, base, MAYA)
    journey.shot(page, "dashboard")
    page.get_by_role("link", name="Colleagues", exact=True).click()
    page.get_by_role("link", name="Add a colleague").click()
    page.get_by_label("Name", exact=True).fill(ANA["name"])
    page.get_by_label("Email", exact=True).fill(ANA["email"])
    page.get_by_label("Specialties").fill("bookkeeping\npayroll")
    page.get_by_label("Whom they want to serve").fill("restaurants and cafés")
    page.get_by_label("Capacity").fill("2")
    page.get_by_label("Location").fill("Porto")
    journey.shot(page, "add-colleague")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_role("status")).to_have_text("Ana Ruiz is now in the network.")
    page.get_by_role("button", name="I know Ana").click()
    expect(page.get_by_role("status")).to_have_text("Noted: you know this colleague.")
    journey.shot(page, "colleague-added")

    # she lets a client go, mistyping the client's email; the form keeps everything else
    page.get_by_role("link", name="Handoffs", exact=True).click()
    page.get_by_role("link", name="Let a client go").first.click()
    fill_handoff(page, {**CLIENT, "client.email": "quentin-at-gallardo-bistro"}, "Frequent late payments",
                 DISCLOSURE, facts=[("2026-10-02", "Invoice 114 paid 41 days late")], finish_by="2026-12-18")
    page.get_by_role("button", name="Find colleagues").click()
    expect(page.get_by_role("alert")).to_contain_text("Please correct the 1 field marked below")
    expect(page.locator("#client-email-error")).to_be_visible()
    for name, value in CLIENT.items():
        if name != "client.email":
            expect(page.locator(f"[name='{name}']")).to_have_value(value)
    expect(page.get_by_label("Frequent late payments")).to_be_checked()
    expect(page.locator("[name='facts-0-text']")).to_have_value("Invoice 114 paid 41 days late")
    expect(page.get_by_label("Fair warning")).to_have_value(DISCLOSURE)
    journey.shot(page, "handoff-mistake")
    page.locator("[name='client.email']").fill(CLIENT["client.email"])
    page.get_by_role("button", name="Find colleagues").click()

    # the colleagues who fit, best first, each with the reasons why
    expect(page.get_by_role("status")).to_have_text("Saved. Here are the colleagues who fit this client best.")
    candidates = page.locator("#candidates li.candidate")
    expect(candidates.first).to_contain_text("Ana Ruiz")
    expect(candidates).to_have_count(2)
    expect(candidates.nth(1)).to_contain_text("Ben Ode")
    expect(candidates.first.locator(".why li").first).to_be_visible()
    expect(candidates.first.locator(".why")).to_contain_text("You know them directly")
    expect(candidates.first.locator(".why")).to_contain_text("Based in Porto, like the client")
    expect(page.locator("#candidates")).not_to_contain_text("Tom Park")
    journey.shot(page, "candidates")
    page.get_by_role("button", name="Offer the client to Ana Ruiz").click()
    expect(page.locator("#offer-preview")).to_contain_text(DISCLOSURE)
    expect(page.locator("#offer-preview")).not_to_contain_text("Quentin")
    journey.shot(page, "offer-preview")
    page.get_by_role("button", name="Send the offer").click()
    expect(page.get_by_role("status")).to_have_text("The offer is on its way.")
    expect(page.get_by_role("heading", name="Quentin Gallardo offered to Ana Ruiz")).to_be_visible()
    journey.shot(page, "offered")

    # the offer email reaches Ana: the need and the fair warning, never who the client is
    journey.deliver_mail()
    offer = smtp.one(ANA["email"], "Maya Brenner would like to refer a client to you")
    assert DISCLOSURE in text_of(offer)
    assert "Quentin" not in text_of(offer) and CLIENT["client.email"] not in text_of(offer)

    # Ana has no account: she opens the Accept link in her own browser and takes the client
    ana = new_context().new_page()
    accept_offer(ana, links_in(offer, base="")["accept"], journey, "offer-page", "Quentin Gallardo")
    contact = ana.locator("#client-contact")
    for value in ("Quentin Gallardo", CLIENT["client.email"], CLIENT["client.phone"], "Gallardo Bistro"):
        expect(contact).to_contain_text(value)
    journey.shot(ana, "accepted")

    # Maya is told, and her referral page shows the acceptance and a letter for the client
    journey.deliver_mail()
    smtp.one(ANA["email"], "Client details: Quentin Gallardo")
    told = smtp.one(MAYA["email"], "Ana Ruiz accepted Quentin Gallardo")
    page.goto(found(rf"{re.escape(base)}/referrals/\d+", text_of(told))[0])
    expect(page.locator(".tag.status-accepted")).to_have_text("accepted")
    letter = page.locator("#letter")
    expect(letter.get_by_role("heading")).to_have_text("Your letter to Quentin Gallardo")
    expect(letter.get_by_label("Letter")).to_have_value(re.compile(r"Ana Ruiz.*18 December 2026", re.DOTALL))
    journey.shot(page, "referral-accepted")

    # the network graph draws the new referral from Maya to Ana
    page.get_by_role("link", name="Network", exact=True).click()
    expect(page.locator("#summary")).to_contain_text("colleagues")
    edges = page.evaluate("""() => window.networkGraph.edges().map(e =>
        [e.source().data('name'), e.target().data('name'), e.data('kind')])""")
    assert ["Maya Brenner", "Ana Ruiz", "referral"] in edges, edges
    journey.shot(page, "network")

    # a day later Ana, now a member too, hands Maya a client who needs a website
    mail_live_app.config["CLOCK"].advance(days=1)
    journey.cli("member", "create", ANA["name"], ANA["email"], "--password", ANA["password"])
    log_in(ana, base, ANA)
    ana.get_by_role("link", name="Handoffs", exact=True).click()
    ana.get_by_role("link", name="Let a client go").first.click()
    fill_handoff(ana, {"client.name": "Rosa Lindqvist", "client.email": "rosa@lindqvist-bakery.example",
                       "client.industry": "bakery",
                       "client.needs": "A new website and branding for a family bakery."},
                 "Wants something outside the services offered",
                 "Wants a website, which is outside my bookkeeping services.")
    ana.get_by_role("button", name="Find colleagues").click()
    expect(ana.locator("#candidates li.candidate").first).to_contain_text("Maya Brenner")
    expect(ana.locator("#candidates li.candidate").first.locator(".why")).to_contain_text(
        "Sent you 1 client before")
    journey.shot(ana, "return-candidates")
    ana.get_by_role("button", name="Offer the client to Maya Brenner").click()
    ana.get_by_role("button", name="Send the offer").click()
    expect(ana.get_by_role("status")).to_have_text("The offer is on its way.")

    # Maya accepts through the emailed link; her ledger shows the client came back
    journey.deliver_mail()
    accept_offer(page, links_in(smtp.one(MAYA["email"], "Ana Ruiz would like to refer"), base="")["accept"],
                 journey, "return-offer-page", "Rosa Lindqvist")
    expect(page.locator("#client-contact")).to_contain_text("Rosa Lindqvist")
    page.goto(f"{base}/ledger/")
    row = page.locator("#ledger tbody tr", has_text="Ana Ruiz")
    expect(row.locator("td")).to_have_text(["Ana Ruiz", "1", "1", "1", "0", "", ""])
    expect(page.get_by_text("You owe no one")).to_be_visible()
    returned = page.locator("section.referral", has_text="You received Rosa Lindqvist from Ana Ruiz")
    expect(returned).to_contain_text("a return")
    journey.shot(page, "ledger")
