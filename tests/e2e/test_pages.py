"""Every member page on a phone (390 px) and on a laptop (1280 px, audited by axe-core), and the
handoff form by keyboard: the checks of issue 12, in Chromium against the seeded demo network."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import wait_until

pytestmark = pytest.mark.e2e

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
HANNAH = ("hannah.whitfield@example.com", "demo-pass-1")
PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1280, "height": 900}
# every page the navigation leads to, and the handoff form
PAGES = ["/dashboard/", "/handoffs/", "/handoffs/new", "/referrals/", "/colleagues/", "/network/", "/ledger/", "/mail",
         "/settings/"]


def log_in(page, base: str, email: str, password: str) -> None:
    page.goto(f"{base}/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{base}/dashboard/")


def nav_links_off_screen(page) -> list[str]:
    """The navigation's links (and the log-out button) that are hidden or not fully on screen."""
    return page.evaluate("""() => [...document.querySelectorAll('header nav a, header .logout button')]
        .filter(a => { const r = a.getBoundingClientRect();
                       return !r.width || r.left < 0 || r.right > window.innerWidth; })
        .map(a => a.textContent.trim())""")


def serious_axe_findings(page) -> list[str]:
    # through DevTools, as the Content-Security-Policy (rightly) refuses an injected script tag
    page.evaluate(AXE.read_text(encoding="utf-8"))
    found = page.evaluate("""async () => (await axe.run(document, {resultTypes: ['violations']})).violations
        .filter(v => v.impact === 'serious' || v.impact === 'critical')
        .map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).slice(0, 3).join(', '))""")
    return found


def settle(page, path: str) -> None:
    if path == "/network/":  # the graph draws after its data arrives
        wait_until(page, "window.networkGraph && window.networkGraph.nodes().length > 0")


def test_every_page_fits_a_phone_and_passes_axe_on_a_laptop(page, live_app, artifacts):
    base = live_app.base_url
    if not AXE.exists():
        pytest.fail(f"axe-core is missing at {AXE}: run `make install` (npm ci)")
    page.set_viewport_size(PHONE)
    log_in(page, base, *HANNAH)
    too_wide, unreachable = {}, {}
    for path in PAGES:
        page.goto(base + path)
        settle(page, path)
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > PHONE["width"]:
            too_wide[path] = width
        if nav_links_off_screen(page):
            unreachable[path] = nav_links_off_screen(page)
        page.screenshot(path=str(artifacts / f"phone{path.replace('/', '-').rstrip('-')}.png"), full_page=True)
    assert too_wide == {}, "pages wider than a 390 px phone"
    assert unreachable == {}, "navigation links off a 390 px screen"
    expect(page.get_by_role("navigation", name="Main").get_by_role("link", name="Your offers")).to_be_visible()

    page.set_viewport_size(LAPTOP)
    findings = {}
    for path in PAGES:
        page.goto(base + path)
        settle(page, path)
        if found := serious_axe_findings(page):
            findings[path] = found
    assert findings == {}, "axe-core: serious or critical findings"


def test_the_handoff_form_marks_what_is_required_and_what_is_wrong(page, live_app):
    base = live_app.base_url
    log_in(page, base, *HANNAH)
    page.goto(f"{base}/handoffs/new")
    for name in ("client.name", "client.email", "client.needs", "disclosure"):
        expect(page.locator(f"[name='{name}']")).to_have_attribute("required", "")
    rows = page.locator("#facts .fact-row").count()

    # Enter in the name field submits the form; it never adds a fact row
    page.locator("[name='client.name']").press("Enter")
    expect(page.locator(".error-summary")).to_be_visible()
    assert page.locator("#facts .fact-row").count() == rows

    # an empty submit: each empty required field is marked, in the service's words, and focus leaves the body
    page.locator("[name='client.name']").fill("")
    with page.expect_navigation():  # the answer looks like the page before it: wait for the new one
        page.get_by_role("button", name="Find colleagues").click()
    expect(page.locator("[name='client.name']")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("[name='disclosure']")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#client-name-error")).to_have_text("Give the client's name.")
    expect(page.locator("[name='client.name']")).to_have_attribute("aria-describedby", "client-name-error")
    expect(page.locator(".error-summary")).to_be_focused()  # focus has left the body, waited for
    assert page.evaluate("document.activeElement !== document.body")


def test_after_an_offer_the_handoff_page_links_to_it_with_a_withdraw_control(page, live_app):
    base = live_app.base_url
    log_in(page, base, *HANNAH)
    page.goto(f"{base}/handoffs/new")
    page.locator("[name='client.name']").fill("Priya Natarajan")
    page.locator("[name='client.email']").fill("priya@natarajan.example")
    page.locator("[name='client.needs']").fill("Bookkeeping and VAT returns for a small yoga studio.")
    page.get_by_label("Frequent late payments").check()
    page.locator("[name='disclosure']").fill("The last three invoices were paid about a month late, in full.")
    page.get_by_role("button", name="Find colleagues").click()
    first = page.locator("#candidates li.candidate").first
    colleague = first.locator("strong").first.inner_text()
    first.get_by_role("button", name=f"Offer the client to {colleague}").click()
    # the preview shows the colleague's mail before anything is sent
    expect(page.get_by_role("heading", name="Before you send")).to_be_visible()
    expect(page.locator("#offer-preview")).to_contain_text("The last three invoices were paid about a month late")
    assert serious_axe_findings(page) == []
    page.get_by_role("button", name="Send the offer").click()
    expect(page.get_by_role("status")).to_have_text("The offer is on its way.")

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Handoffs").click()
    page.get_by_role("link", name="Priya Natarajan").click()
    offer = page.locator("#offers li").first
    expect(offer.get_by_role("link", name=f"Offer to {colleague}")).to_be_visible()
    expect(offer.get_by_role("button", name="Withdraw")).to_be_visible()
    assert serious_axe_findings(page) == []
    handoff_page, offer_page = page.url, offer.get_by_role("link").get_attribute("href")
    page.set_viewport_size(PHONE)
    for url in (handoff_page, base + offer_page):
        page.goto(url)
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], url
    page.set_viewport_size(LAPTOP)
    page.goto(handoff_page)

    # the navigation leads to the list of offers, and from there to this one
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Your offers").click()
    expect(page.get_by_role("heading", name="Your offers")).to_be_visible()
    expect(page.get_by_role("link", name="Priya Natarajan")).to_be_visible()
