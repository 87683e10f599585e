"""The directory as a member uses it in the browser: log in, search, add, edit, pause, delete."""

import re


def test_pages_need_a_login(client):
    r = client.get("/colleagues/")
    assert r.status_code == 302 and "/login" in r.headers["Location"]


def test_wrong_password_is_refused_with_a_message(client, member):
    r = client.post("/login", data={"email": member.email, "password": "wrong"})
    assert r.status_code == 401 and b"do not match" in r.data


def test_login_never_redirects_to_another_site(client, member):
    r = client.post("/login?next=https://evil.example/", data={"email": member.email, "password": member.password})
    assert r.headers["Location"] == "/"


def test_a_member_adds_a_colleague_and_finds_them_by_specialty(client, member, login):
    login(member)
    r = client.post("/colleagues/new", data={
        "name": "Ana Ruiz", "email": "ana@example.org", "specialties": "bookkeeping\nXero; payroll",
        "target_clientele": "restaurants", "capacity": "2", "location": "Porto", "remote": "on",
        "dealbreakers": ["hostile"]})
    assert r.status_code == 302
    page = client.get(r.headers["Location"]).get_data(as_text=True)
    assert "Ana Ruiz" in page and "payroll" in page and "rude, abusive" in page
    listing = client.get("/colleagues/?q=xero").get_data(as_text=True)
    assert "Ana Ruiz" in listing and "2 of 2 places free" in listing


def test_a_bad_form_comes_back_with_every_value_and_an_error_beside_each_field(client, member, login):
    login(member)
    r = client.post("/colleagues/new", data={
        "name": "Ana <b>Ruiz</b>", "email": "ana-at-example", "specialties": "", "target_clientele": "cafés",
        "capacity": "lots", "location": "Porto", "paused_until": "someday", "dealbreakers": ["hostile"]})
    page = r.get_data(as_text=True)
    assert r.status_code == 422
    for field in ("email", "specialties", "capacity", "paused_until"):
        assert f'id="{field}-error"' in page, field
    assert 'id="name-error"' not in page
    assert 'value="Ana &lt;b&gt;Ruiz&lt;/b&gt;"' in page  # kept, and escaped
    assert 'value="ana-at-example"' in page and 'value="lots"' in page and 'value="cafés"' in page
    assert re.search(r'value="hostile"\s+checked', page)


def test_editing_and_pausing_a_colleague(client, member, login, make_colleague):
    c = make_colleague(name="Tom Park", capacity=3)
    login(member)
    form = client.get(f"/colleagues/{c['id']}/edit").get_data(as_text=True)
    assert 'value="Tom Park"' in form
    r = client.post(f"/colleagues/{c['id']}/edit", data={"name": "Tom Park", "email": c["email"],
                                                        "specialties": "bookkeeping", "capacity": "5"})
    assert r.status_code == 302
    r = client.post(f"/colleagues/{c['id']}/pause", data={"paused_until": "2027-02-01"}, follow_redirects=True)
    page = r.get_data(as_text=True)
    assert "paused until 2027-02-01" in page and "5 of 5 places free" in page


def test_another_members_colleague_has_no_edit_page(client, member, make_member, make_colleague, login):
    c = make_colleague()
    login(make_member(name="Other", email="other@example.com"))
    assert client.get(f"/colleagues/{c['id']}/edit").status_code == 404
    assert client.post(f"/colleagues/{c['id']}/delete").status_code == 404
    assert client.get("/colleagues/999999").status_code == 404


def test_deleting_a_colleague(client, member, login, make_colleague):
    c = make_colleague(name="Gone Soon")
    login(member)
    r = client.post(f"/colleagues/{c['id']}/delete", follow_redirects=True)
    assert "removed from the network" in r.get_data(as_text=True)
    assert "Gone Soon" not in client.get("/colleagues/").get_data(as_text=True)


def test_directory_pages_through_many_colleagues(client, member, login, make_colleague):
    for i in range(25):
        make_colleague(name=f"Person {i:02d}")
    login(member)
    first = client.get("/colleagues/").get_data(as_text=True)
    assert "Page 1 of 2" in first and "Next" in first
    second = client.get("/colleagues/?page=2").get_data(as_text=True)
    assert "Person 24" in second and "Person 00" not in second
