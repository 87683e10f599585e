"""Log-in guessing is slowed per address and per account, counting only failures; a correct password
is never refused because others failed, and an unknown email costs the same work as a known one."""

import uuid

import pytest

from referral.services import members
from tests.conftest import make_app
from tests.integration import test_shared_limits

redis_url = test_shared_limits.redis_url  # the fixture: one throwaway Redis server per run


@pytest.fixture
def app(database_url, tmp_path, clock):
    app = make_app(database_url, tmp_path, clock, RATELIMIT_ENABLED=True)
    yield app
    app.extensions["referral"].engine.dispose()


def attempt(client, email, password, address="10.0.0.1"):
    return client.post("/login", data={"email": email, "password": password},
                       environ_base={"REMOTE_ADDR": address})


def test_correct_passwords_never_count_against_a_busy_address(client, member):
    """An office behind one address where many people log in the same minute."""
    for _ in range(12):
        assert attempt(client, member.email, member.password).status_code == 302


def test_an_account_guessed_from_many_addresses_is_paused_with_a_clear_message(client, member, make_member):
    otto = make_member(name="Otto Lind", email="otto@example.com")
    for n in range(5):
        assert attempt(client, member.email, f"guess-{n}", f"10.0.1.{n}").status_code == 401
    r = attempt(client, member.email, member.password, "10.0.2.1")
    page = r.get_data(as_text=True)
    assert r.status_code == 429 and "Too many failed log-ins for this account" in page
    assert "Retry-After" in r.headers
    assert attempt(client, otto.email, otto.password, "10.0.2.1").status_code == 302  # others are not paused
    # the email is normalised: changing its case is the same account
    assert attempt(client, member.email.upper(), member.password, "10.0.2.2").status_code == 429


def test_a_pause_that_keeps_being_hit_grows_from_a_minute_to_an_hour(client, member):
    for n in range(5):
        attempt(client, member.email, f"guess-{n}", f"10.0.1.{n}")
    first = attempt(client, member.email, "guess", "10.0.3.1")
    assert first.status_code == 429 and int(first.headers["Retry-After"]) <= 60
    for n in range(5):
        attempt(client, member.email, "guess", f"10.0.4.{n}")
    later = attempt(client, member.email, member.password, "10.0.5.1")
    assert later.status_code == 429 and int(later.headers["Retry-After"]) > 60
    assert "Too many failed log-ins for this account" in later.get_data(as_text=True)


def test_an_unknown_email_takes_the_same_password_check_as_a_known_one(app, member, monkeypatch):
    checked: list[str] = []
    real = members.check_password

    def counted(stored: str, password: str) -> bool:
        checked.append(stored)
        return real(stored, password)

    monkeypatch.setattr(members, "check_password", counted)
    uow = app.extensions["referral"].uow
    assert members.authenticate(uow(), "nobody@example.com", "guess-1") is None
    assert members.authenticate(uow(), member.email, "guess-1") is None
    assert len(checked) == 2 and all(s.startswith("scrypt$") for s in checked)


@pytest.mark.parametrize("target", ["/%0d%0aSet-Cookie:%20x=1", "/dashboard/%0a", "/\\\\evil.example", "//evil.example"])
def test_a_next_address_with_line_breaks_or_another_host_goes_to_the_start_page(client, member, target):
    r = client.post(f"/login?next={target}", data={"email": member.email, "password": member.password})
    assert r.status_code == 302 and r.headers["Location"] == "/"
    assert "x=1" not in " ".join(r.headers.getlist("Set-Cookie"))


def test_an_accounts_failed_log_ins_are_counted_across_workers_sharing_redis(database_url, tmp_path, clock,
                                                                               redis_url, make_member):
    """Two app processes, as two gunicorn workers, one RATELIMIT_STORAGE_URI: guesses spread over both add up."""
    member = make_member(email=f"maya-{uuid.uuid4().hex[:8]}@example.com")  # the Redis server outlives a test
    workers = [make_app(database_url, tmp_path, clock, RATELIMIT_ENABLED=True,
                        ENV={"RATELIMIT_STORAGE_URI": redis_url}) for _ in range(2)]
    try:
        for n in range(5):
            assert attempt(workers[n % 2].test_client(), member.email, f"guess-{n}").status_code == 401
        r = attempt(workers[1].test_client(), member.email, member.password)
        assert r.status_code == 429 and "Too many failed log-ins for this account" in r.get_data(as_text=True)
    finally:
        for app in workers:
            app.extensions["referral"].engine.dispose()
