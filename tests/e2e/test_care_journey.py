"""Letting go with care in Chromium: a member bowing out puts a gap right, asks a trusted colleague for
a second read by email (who answers without an account), sends the letter, closes, looks back, and
finds the lesson on the Lessons page; at a phone's width and at a desktop's."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.conftest import found, text_of

pytestmark = pytest.mark.e2e

MAYA = {"name": "Maya Brenner", "email": "maya@example.com", "password": "correct-horse-1"}


def fits_the_width(page) -> bool:
    """Nothing in the page's main part runs off the side (the header's navigation is the layout's own)."""
    return page.evaluate("""() => [...document.querySelectorAll('main *')]
        .every(e => e.getBoundingClientRect().right <= window.innerWidth + 1)""")


@pytest.mark.parametrize("width", [390, 1280])
def test_a_member_bows_out_with_a_second_read_and_looks_back(page, new_context, mail_live_app, smtp, artifacts,
                                                             width):
    app, base = mail_live_app, mail_live_app.base_url
    runner = app.test_cli_runner()
    assert runner.invoke(args=["member", "create", MAYA["name"], MAYA["email"], "--password",
                               MAYA["password"]]).exit_code == 0
    page.set_viewport_size({"width": width, "height": 900})

    page.goto(f"{base}/login")
    page.get_by_label("Email").fill(MAYA["email"])
    page.get_by_label("Password").fill(MAYA["password"])
    page.get_by_role("button", name="Log in").click()

    # the handoff: what she wants from it, and a term of the contract she has not met yet
    page.goto(f"{base}/handoffs/new")
    for name, value in {"client.name": "Quentin Gallardo", "client.email": "quentin@gallardo-bistro.example",
                        "client.phone": "+351 912 000 111",
                        "client.needs": "Monthly bookkeeping for a restaurant.",
                        "facts-0-date": "2026-10-02", "facts-0-text": "Invoice 114 paid 41 days late",
                        "terms-0-term": "Payroll handover notes"}.items():
        page.locator(f"[name='{name}']").fill(value)
    page.get_by_label("Frequent late payments").check()
    page.get_by_label("Fair warning").fill("Paid the last five invoices about six weeks late.")
    page.get_by_label("Bow out").check()
    page.get_by_label("I finish current work until").fill("2026-12-18")
    page.get_by_label("End on good terms").check()
    page.locator("[name='terms-0-met_by_me']").select_option("no")
    page.get_by_role("button", name="Find colleagues").click()

    expect(page.locator("#runway")).to_contain_text("23 days left")
    gaps = page.locator("#contract-gaps")
    expect(gaps).to_contain_text("Put this right before you let go.")
    gaps.get_by_role("button", name="Put right").click()
    expect(page.locator("#contract")).to_contain_text("Everything on your side is met.")

    # a second read: Rosa gets a link by email and answers without an account
    review = page.locator("#second-read")
    review.get_by_label("Their email").fill("rosa@example.net")
    review.get_by_label("Their name").fill("Rosa Lind")
    review.get_by_role("button", name="Ask for a second read").click()
    expect(page.locator("#letter-waits")).to_be_visible()
    assert runner.invoke(args=["outbox", "work", "--once"]).exit_code == 0
    link = found(r"^Read and answer:\n(\S+)$", text_of(smtp.one("rosa@example.net")), re.MULTILINE).group(1)

    rosa = new_context().new_page()
    rosa.set_viewport_size({"width": width, "height": 900})
    rosa.goto(link)
    expect(rosa.locator("main")).to_contain_text("Paid the last five invoices about six weeks late.")
    expect(rosa.locator("main")).to_contain_text("Dear Quentin,")
    expect(rosa.locator("main")).not_to_contain_text("quentin@gallardo-bistro.example")
    expect(rosa.locator("main")).not_to_contain_text("912 000 111")
    assert fits_the_width(rosa)
    rosa.screenshot(path=str(artifacts / f"care-review-{width}.png"), full_page=True)
    rosa.get_by_label("I suggest changes").check()
    rosa.get_by_label("Comment").fill("Say 'about six weeks late', and thank him for the years.")
    rosa.get_by_role("button", name="Send my answer").click()
    expect(rosa.locator("#answered")).to_contain_text("You suggested changes")

    # Maya sees the answer, revises the letter and sends it
    page.reload()
    expect(page.locator("#reviews")).to_contain_text("Rosa Lind")
    expect(page.locator("#reviews")).to_contain_text("thank him for the years")
    letter = page.locator("#letter")
    body = letter.get_by_label("Letter")
    expect(body).to_have_value(re.compile("that offer stands for anyone you know"))
    body.fill(body.input_value().replace("Thank you for your trust", "Thank you for the years and your trust"))
    letter.get_by_role("button", name="Send it to the client").click()
    expect(page.locator("#letter-sent")).to_contain_text("Sent from here")
    expect(page.locator("#call")).to_contain_text("+351 912 000 111")
    assert fits_the_width(page)
    page.screenshot(path=str(artifacts / f"care-handoff-{width}.png"), full_page=True)

    # closing opens the look back; the lesson reaches the Lessons page and its chart
    page.get_by_role("button", name="Close this handoff").click()
    look_back = page.locator("#look-back")
    look_back.get_by_label("End on good terms").check()
    look_back.get_by_label("Frequent late payments").check()
    look_back.get_by_label("Next time I will").fill("Ask for a deposit after the second late invoice")
    look_back.get_by_role("button", name="Save my look back").click()
    expect(page.locator("#look-back-saved")).to_be_visible()

    page.get_by_role("link", name="Lessons", exact=True).click()
    expect(page.locator("#next-time")).to_contain_text("Ask for a deposit after the second late invoice")
    expect(page.locator("svg.lessons-chart")).to_be_visible()
    assert fits_the_width(page)
    page.screenshot(path=str(artifacts / f"care-lessons-{width}.png"), full_page=True)
