"""The settings page in a real browser, under the app's Content-Security-Policy: it fits a phone, and a
member makes and revokes an API token and changes the password with the keyboard alone."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e

HANNAH = ("hannah.whitfield@example.com", "demo-pass-1")


def widest_in_main(page) -> int:
    """The right edge of the widest thing on the page's own content (the shared top bar aside)."""
    return page.evaluate("Math.max(...[...document.querySelectorAll('main *')]"
                         ".map(e => e.getBoundingClientRect().right))")


def log_in(page, base, email, password):
    page.goto(f"{base}/login")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", password)
    page.keyboard.press("Enter")
    page.wait_for_url(f"{base}/dashboard/")


def test_a_member_manages_tokens_and_the_password_by_keyboard_on_a_phone(page, live_app, artifacts):
    base = live_app.base_url
    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page, base, *HANNAH)
    page.get_by_role("link", name="Settings").click()
    expect(page.get_by_role("heading", name="API tokens")).to_be_visible()
    assert widest_in_main(page) <= 390

    page.get_by_label("What it is for").focus()
    page.keyboard.type("spreadsheet")
    page.keyboard.press("Enter")
    token = page.locator("code.token").inner_text()
    assert len(token) > 30 and widest_in_main(page) <= 390
    page.screenshot(path=str(artifacts / "settings-new-token-phone.png"), full_page=True)

    page.get_by_role("button", name="Revoke the token spreadsheet").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_text("The token is revoked")).to_be_visible()
    expect(page.get_by_role("row", name="spreadsheet revoked")).to_be_visible()

    page.get_by_label("Current password").focus()
    page.keyboard.type(HANNAH[1])
    page.keyboard.press("Tab")
    page.keyboard.type("a-new-longer-password")
    page.keyboard.press("Enter")
    expect(page.get_by_text("Your password is changed")).to_be_visible()
    page.set_viewport_size({"width": 1280, "height": 900})
    page.screenshot(path=str(artifacts / "settings-laptop.png"), full_page=True)
