"""A member explores the network graph in a real browser."""

import pytest

from tests.e2e.conftest import wait_until

pytestmark = pytest.mark.e2e


def log_in(page, base_url, email, password):
    page.goto(f"{base_url}/login")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", password)
    page.click("button[type=submit], form button")
    page.wait_for_url(f"{base_url}/dashboard/")


def click_node(page, name):
    """Click the colleague's node where Cytoscape drew it on the canvas."""
    spot = page.evaluate("""(name) => {
        const cy = window.networkGraph;
        const node = cy.nodes().filter(n => n.data('name') === name)[0];
        const box = document.getElementById('cy').getBoundingClientRect();
        const p = node.renderedPosition();
        return {x: box.left + p.x, y: box.top + p.y};
    }""", name)
    page.mouse.click(spot["x"], spot["y"])


def test_a_member_clicks_a_colleague_and_sees_profile_capacity_and_ledger(page, live_app, artifacts):
    base = live_app.base_url
    log_in(page, base, "maartje.devries@example.org", "demo-pass-3")
    page.goto(f"{base}/network/")
    wait_until(page, "window.networkGraph && window.networkGraph.nodes().length > 5")
    assert "colleagues" in page.text_content("#summary")
    # Maartje gave Lotte a client; Lotte sent one back
    click_node(page, "Lotte Smit")
    page.wait_for_selector("#panel h2:has-text('Lotte Smit')")
    profile = page.text_content("#panel-profile")
    assert "places free" in profile and "Places" in profile
    ledger = page.inner_text("#panel-ledger")
    assert "Given\n1" in ledger and "Received\n1" in ledger
    page.screenshot(path=str(artifacts / "network-panel.png"), full_page=True)

    # expanding a colleague brings in their neighbours
    before = page.evaluate("window.networkGraph.nodes().length")
    # (a block returning nothing: serialising the Cytoscape collection emit returns takes seconds)
    page.evaluate("() => { window.networkGraph.getElementById(String(window.networkGraph.nodes()"
                  ".filter(n => n.data('hops') === 2)[0].id())).emit('dbltap'); }")
    wait_until(page, f"window.networkGraph.nodes().length > {before}")

    # filtering by specialty reloads the view
    page.fill("#specialty", "photo")
    wait_until(page, "window.networkGraph.nodes().every(n => n.data('me') || n.hasClass('center') || "
                           "n.data('specialties').some(s => s.toLowerCase().includes('photo')))")
    page.screenshot(path=str(artifacts / "network-filtered.png"), full_page=True)


def test_the_dashboard_chart_and_the_ledger_render(page, live_app, artifacts):
    base = live_app.base_url
    log_in(page, base, "hannah.whitfield@example.com", "demo-pass-1")
    assert page.locator("svg.chart rect.bar").count() == 24
    page.screenshot(path=str(artifacts / "dashboard.png"), full_page=True)
    page.goto(f"{base}/ledger/")
    assert page.locator("#ledger tbody tr").count() >= 5
    page.screenshot(path=str(artifacts / "ledger.png"), full_page=True)


def test_keyboard_users_get_the_colleagues_as_a_list_and_labels_never_overlap(page, live_app):
    base = live_app.base_url
    log_in(page, base, "hannah.whitfield@example.com", "demo-pass-1")
    page.goto(f"{base}/network/")
    wait_until(page, "window.networkGraph && window.networkGraph.nodes().length > 5")
    overlaps = page.evaluate("""() => {
        const boxes = window.networkGraph.nodes().filter(n => !n.hasClass('nolabel'))
            .map(n => n.boundingBox({includeNodes: false, includeEdges: false, includeLabels: true}));
        let pairs = 0;
        for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
            const a = boxes[i], b = boxes[j];
            if (a.x1 < b.x2 && b.x1 < a.x2 && a.y1 < b.y2 && b.y1 < a.y2) pairs++;
        }
        return pairs;
    }""")
    assert overlaps == 0
    shown = page.locator("#shown button")
    assert shown.count() == page.evaluate("window.networkGraph.nodes().length")

    # by keyboard: focus a colleague in the list, press Enter, read the same panel a click opens
    shown.filter(has_text="Ryan McAllister").focus()
    page.keyboard.press("Enter")
    page.wait_for_selector("#panel h2:has-text('Ryan McAllister')")
    assert "places free" in page.text_content("#panel-profile")

    # an error from one load is gone once a later load works
    page.route("**/network/graph.json*", lambda route: route.fulfill(
        status=422, content_type="application/json", body='{"message": "Some of the graph\'s settings are not valid."}'))
    page.select_option("#depth", "1")
    page.wait_for_selector("#graph-error:not([hidden])")
    page.unroute("**/network/graph.json*")
    page.select_option("#depth", "2")
    page.wait_for_selector("#graph-error", state="hidden")
