"""The handoff form and page as a member uses them: messages in the service's words, the client's
identity kept out of the fair warning, client details corrected until a colleague accepts."""

import re

import pytest

from tests.conftest import found

FORM = {
    "client.name": "Owen Pritchard", "client.email": "owen@example.co.uk", "client.phone": "07700 900123",
    "client.needs": "Monthly bookkeeping and payroll for a café.", "reasons": "late_payments",
    "disclosure": "Invoices were paid 30 to 45 days late this year.", "exit_strategy": "refer_elsewhere",
}


@pytest.fixture
def app(mail_app):
    """Offers are accepted through the mailed links, so the app mails the in-process server."""
    return mail_app


def handoff_id_of(response) -> int:
    return int(found(r"/handoffs/(\d+)$", response.headers["Location"])[1])


def test_an_empty_handoff_form_names_each_missing_field_in_the_services_words(client, member, login):
    login(member)
    form = client.get("/handoffs/new").get_data(as_text=True)
    for name in ("client.name", "client.email", "client.needs", "disclosure"):
        assert re.search(rf'name="{re.escape(name)}" required', form), name
    r = client.post("/handoffs/new", data={"exit_strategy": "refer_elsewhere"})
    page = r.get_data(as_text=True)
    assert r.status_code == 422
    for message in ("Give the client&#39;s name.", "Give the client&#39;s email address.",
                    "Say what the client needs done.", "Choose at least one reason you are letting the client go.",
                    "Write the fair warning the colleague reads before accepting."):
        assert message in page, message
    assert "Length must be" not in page and "Missing data" not in page
    assert re.search(r'id="client-name" name="client.name" required aria-invalid="true" '
                     r'aria-describedby="client-name-error"', page)
    assert 'class="error-summary" role="alert" tabindex="-1"' in page


def test_a_mistyped_email_is_named_as_such_and_everything_typed_is_kept(client, member, login):
    login(member)
    page = client.post("/handoffs/new", data={**FORM, "client.email": "owen-at-example"}).get_data(as_text=True)
    assert "Give the client&#39;s email address in full, like name@example.com." in page
    assert 'value="Owen Pritchard"' in page and 'value="owen-at-example"' in page


@pytest.mark.parametrize("disclosure, excerpt", [
    ("Owen paid every invoice late.", "Owen"),
    ("Mr Pritchard paid every invoice late.", "Pritchard"),
    ("Write to owen@example.co.uk about the late invoices.", "owen@example.co.uk"),
    ("Call 07700 900 123 before noon; invoices were paid late.", "07700 900 123"),
])
def test_the_fair_warning_may_not_give_the_client_away(client, member, login, disclosure, excerpt):
    login(member)
    r = client.post("/handoffs/new", data={**FORM, "disclosure": disclosure})
    page = r.get_data(as_text=True)
    assert r.status_code == 200 and 'id="tone-warnings"' in page
    assert f"“{excerpt}” is the client" in page
    calmer = found(r'<q id="calmer">(.*?)</q>', page)[1]
    assert excerpt not in calmer and "the client" in calmer.lower()


def test_the_client_details_show_and_can_be_corrected_every_change_kept(client, member, login):
    login(member)
    handoff_id = handoff_id_of(client.post("/handoffs/new", data=FORM))
    page = client.get(f"/handoffs/{handoff_id}").get_data(as_text=True)
    assert "owen@example.co.uk" in page and "07700 900123" in page
    r = client.post(f"/handoffs/{handoff_id}/client",
                    data={**FORM, "client.email": "owen@pritchard.example", "client.location": "Leeds"},
                    follow_redirects=True)
    page = r.get_data(as_text=True)
    assert "Saved 2 changes to the client" in page and "owen@pritchard.example" in page
    assert "email: “owen@example.co.uk” → “owen@pritchard.example”" in page
    assert "location: “” → “Leeds”" in page
    bad = client.post(f"/handoffs/{handoff_id}/client", data={**FORM, "client.name": " "})
    assert bad.status_code == 422 and "Give the client&#39;s name." in bad.get_data(as_text=True)


def test_once_a_colleague_accepts_the_client_details_are_no_longer_editable(client, member, login, offered):
    referral_id, links = offered
    assert client.post(links["accept"], data={"acknowledged": "yes"}).status_code == 200
    login(member)
    handoff_id = client.get(f"/api/referrals/{referral_id}", headers=member.headers).get_json()["handoff_id"]
    page = client.get(f"/handoffs/{handoff_id}").get_data(as_text=True)
    assert 'id="correct-client"' not in page and "Colleagues who fit" not in page
    r = client.post(f"/handoffs/{handoff_id}/client", data={**FORM}, follow_redirects=True)
    assert "can no longer be changed" in r.get_data(as_text=True)
    assert "Owen Pritchard" not in client.get(f"/handoffs/{handoff_id}").get_data(as_text=True)  # unchanged


def test_another_members_handoff_cannot_be_corrected(client, member, make_member, login, make_handoff):
    handoff_id = make_handoff(make_member("Jonas Albrecht", "jonas@example.org"))
    login(member)
    assert client.post(f"/handoffs/{handoff_id}/client", data=FORM).status_code == 404


def test_without_a_mail_server_the_development_mail_page_has_working_answer_links(
        database_url, tmp_path, clock, make_handoff, make_colleague, member):
    from tests.conftest import make_app

    dev = make_app(database_url, tmp_path, clock, DEBUG=True)
    try:
        client = dev.test_client()
        ana = make_colleague(name="Ana Ruiz", email="ana@example.org")
        client.post(f"/api/handoffs/{make_handoff(member)}/offers", json={"colleague_id": ana["id"]},
                    headers=member.headers)
        client.post("/login", data={"email": member.email, "password": member.password})
        assert "the development mail page" in client.get("/mail").get_data(as_text=True)
        page = client.get("/dev/mail").get_data(as_text=True)
        accept = found(r'<a href="http://localhost:5000(/offers/[^"]+)">', page)[1]
        assert "Fair warning" in client.get(accept).get_data(as_text=True)
    finally:
        dev.extensions["referral"].engine.dispose()


def test_with_a_mail_server_or_outside_debug_mode_there_is_no_development_mail_page(client, member, login):
    login(member)  # this app has SMTP_URL set, and runs without debug
    assert client.get("/dev/mail").status_code == 404
    assert "development mail page" not in client.get("/mail").get_data(as_text=True)


def test_erasing_the_client_also_erases_their_corrected_details(client, app, member, login):
    from sqlalchemy import func, select

    from referral.adapters import orm

    login(member)
    handoff_id = handoff_id_of(client.post("/handoffs/new", data=FORM))
    client.post(f"/handoffs/{handoff_id}/client", data={**FORM, "client.email": "owen@pritchard.example"})
    assert client.delete(f"/api/handoffs/{handoff_id}/client", headers=member.headers).status_code == 204
    page = client.get(f"/handoffs/{handoff_id}").get_data(as_text=True)
    assert "owen@example.co.uk" not in page and "owen@pritchard.example" not in page
    assert 'id="correct-client"' not in page
    with app.extensions["referral"].uow() as uow:
        assert uow.session.scalar(select(func.count()).select_from(orm.client_changes)) == 0
    r = client.post(f"/handoffs/{handoff_id}/client", data=FORM, follow_redirects=True)
    assert "was erased" in r.get_data(as_text=True)
