"""CSRF: every HTML form refuses a POST without its token and works with the token from its page.

The list of forms is the app's own: every POST rule outside /api. A new form that is not
listed here fails ``test_every_form_route_is_covered``, so none can slip through untested.
"""

import pytest

from tests.conftest import make_app
from tests.integration.security_world import build, csrf_from, log_in


@pytest.fixture
def app(database_url, tmp_path, clock):
    app = make_app(database_url, tmp_path, clock, WTF_CSRF_ENABLED=True)
    yield app
    app.extensions["referral"].engine.dispose()


@pytest.fixture
def world(app, client, member, make_colleague, clock):
    return build(app, client, member, make_colleague, clock)


# endpoint -> (page with the form, path the form posts to, data, answers that mean "it worked")
def scenarios(w, member):
    colleague = f"/colleagues/{w.ana['id']}"
    return {
        "auth.login": ("/login", "/login", {"email": member.email, "password": member.password}, {302}),
        "auth.logout": ("/colleagues/", "/logout", {}, {302}),
        "directory.new": ("/colleagues/new", "/colleagues/new",
                          {"name": "Dina Vos", "email": "dina@example.org", "specialties": "tax"}, {302}),
        "directory.edit": (f"{colleague}/edit", f"{colleague}/edit",
                           {"name": "Ana Ruiz", "email": "ana@example.org", "specialties": "payroll"}, {302}),
        "directory.pause": (colleague, f"{colleague}/pause", {"paused_until": "2026-12-24"}, {302}),
        "directory.connect": (f"/colleagues/{w.cleo['id']}", f"/colleagues/{w.cleo['id']}/connect", {}, {302}),
        "directory.delete": (f"/colleagues/{w.cleo['id']}", f"/colleagues/{w.cleo['id']}/delete", {}, {302}),
        "handoffs.new": ("/handoffs/new", "/handoffs/new",
                         {"client.name": "Quentin", "client.email": "q@example.org", "client.needs": "Books",
                          "reasons": "late_payments", "disclosure": "Pays late.", "tone_ok": "on"}, {302}),
        "handoffs.revise": (f"/handoffs/{w.handoff}", f"/handoffs/{w.handoff}/disclosure",
                            {"disclosure": "Pays about six weeks late."}, {302}),
        "handoffs.revise_client": (f"/handoffs/{w.fresh_handoff}", f"/handoffs/{w.fresh_handoff}/client",
                                   {"client.name": "Quentin Gallardo", "client.email": "q@example.org",
                                    "client.needs": "Books"}, {302}),
        "referrals.create": (f"/referrals/preview?handoff_id={w.fresh_handoff}&colleague_id={w.cleo['id']}",
                             "/referrals/offer",
                             {"handoff_id": str(w.fresh_handoff), "colleague_id": str(w.cleo["id"])}, {302}),
        "referrals.withdraw": (f"/referrals/{w.offered}", f"/referrals/{w.offered}/withdraw", {}, {302}),
        "referrals.send_letter": (f"/referrals/{w.accepted}", f"/referrals/{w.accepted}/letter",
                                  {"subject": "Your new bookkeeper", "body": "Dear Quentin, meet Ben."}, {302}),
        "ledger.outcome": ("/ledger/", f"/ledger/referrals/{w.accepted}/outcome", {"note": "Signed up"}, {302}),
        "referrals.reopen": (f"/referrals/{w.accepted}", f"/referrals/{w.accepted}/reopen",
                             {"reason": "Ben clicked Accept by mistake"}, {302}),
        "referrals.digest": ("/dashboard/", "/referrals/digest", {"daily_digest": "on"}, {302}),
        "answers.act": (w.links["decline"], w.links["decline"], {"decline_code": "no_capacity", "reason": "Too busy"}, {200}),
        "care.fix_term": (f"/handoffs/{w.handoff}", f"/handoffs/{w.handoff}/terms/0/fix", {}, {302}),
        "care.request_review": (f"/handoffs/{w.handoff}", f"/handoffs/{w.handoff}/reviews",
                                {"reviewer_email": "rosa@example.net"}, {302}),
        "care.letter": (f"/handoffs/{w.accepted_handoff}", f"/handoffs/{w.accepted_handoff}/letter",
                        {"subject": "Meet Ben", "body": "Dear Quentin, meet Ben.", "action": "send"}, {302}),
        "care.client_replied": (f"/handoffs/{w.fresh_handoff}", f"/handoffs/{w.fresh_handoff}/client-replied", {},
                                {302}),
        "care.close": (f"/handoffs/{w.handoff}", f"/handoffs/{w.handoff}/close", {}, {302}),
        "care.retrospective": (f"/handoffs/{w.accepted_handoff}", f"/handoffs/{w.accepted_handoff}/retrospective",
                               {"next_time": "Agree terms in writing"}, {302}),
        "reviews.answer": (w.links["review"], w.links["review"], {"verdict": "approve"}, {200}),
        "settings.password": ("/settings/", "/settings/password",
                              {"current_password": member.password, "new_password": "a-longer-password"}, {302}),
        "settings.create_token": ("/settings/", "/settings/tokens", {"name": "script", "days": "30"}, {201}),
        "settings.revoke_token": ("/settings/", f"/settings/tokens/{first_token(member)}/revoke", {}, {302}),
        "settings.rotate_token": ("/settings/", f"/settings/tokens/{first_token(member)}/rotate", {}, {201}),
        "privacy.erase_client": (f"/handoffs/{w.handoff}", f"/handoffs/{w.handoff}/client/erase",
                                 {"confirm": "on"}, {302}),
    }


def first_token(member) -> int:
    from referral.services import tokens
    from tests.conftest import FIXED_NOW

    return tokens.list_tokens(member.app.extensions["referral"].uow(), member.id, FIXED_NOW)[-1]["id"]


FORM_ENDPOINTS = sorted([
    "auth.login", "auth.logout", "directory.new", "directory.edit", "directory.pause", "directory.connect",
    "directory.delete", "handoffs.new", "handoffs.revise", "handoffs.revise_client", "referrals.create",
    "referrals.withdraw",
    "referrals.send_letter", "ledger.outcome", "answers.act", "referrals.reopen", "referrals.digest",
    "settings.password", "settings.create_token", "settings.revoke_token", "settings.rotate_token",
    "privacy.erase_client", "care.fix_term", "care.request_review", "care.letter", "care.client_replied",
    "care.close", "care.retrospective", "reviews.answer",
])


# RFC 8058 one-click unsubscribe: the mail client posts with no page to take a token from; the signed
# address itself is the proof (tests/integration/test_offers_unsubscribe.py)
NO_PAGE_ENDPOINTS = {"answers.unsubscribe"}


def test_every_form_route_is_covered(app):
    posts = {r.endpoint for r in app.url_map.iter_rules()
             if "POST" in r.methods and not r.rule.startswith("/api/")}
    assert posts - NO_PAGE_ENDPOINTS == set(FORM_ENDPOINTS)


@pytest.mark.parametrize("endpoint", FORM_ENDPOINTS)
def test_a_form_post_without_its_token_is_refused(client, member, world, endpoint):
    log_in(client, member)
    _, action, data, _ = scenarios(world, member)[endpoint]
    r = client.post(action, data=data)
    assert r.status_code == 400, r.get_data(as_text=True)[:300]
    assert "CSRF" in r.get_data(as_text=True) or "form has expired" in r.get_data(as_text=True)
    r = client.post(action, data={**data, "csrf_token": "forged"})
    assert r.status_code == 400


@pytest.mark.parametrize("endpoint", FORM_ENDPOINTS)
def test_a_form_post_with_the_token_from_its_page_works(client, member, world, endpoint):
    if endpoint != "auth.login":
        log_in(client, member)
    page, action, data, ok = scenarios(world, member)[endpoint]
    r = client.post(action, data={**data, "csrf_token": csrf_from(client, page, action)})
    assert r.status_code in ok, r.get_data(as_text=True)[:500]


def test_the_api_needs_no_csrf_token(client, member):
    r = client.post("/api/colleagues", json={"name": "Dina Vos", "email": "dina@example.org",
                                             "specialties": ["tax"]}, headers=member.headers)
    assert r.status_code == 201
