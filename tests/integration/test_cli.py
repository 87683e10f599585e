"""The command line of the contract: member create, colleagues import, seed, db upgrade."""

import textwrap

import pytest
from sqlalchemy import inspect

from referral.adapters import migrate
from referral.adapters.db import make_engine
from referral.adapters.orm import metadata
from tests.conftest import found


def test_member_create_prints_the_token_alone_on_the_last_line(runner, client):
    r = runner.invoke(args=["member", "create", "Maya Brenner", "maya@example.com", "--password", "s3cret-pass"])
    assert r.exit_code == 0, r.output
    token = r.output.strip().splitlines()[-1]
    assert " " not in token and len(token) > 30
    assert client.get("/api/colleagues", headers={"Authorization": f"Bearer {token}"}).status_code == 200
    r = client.post("/login", data={"email": "maya@example.com", "password": "s3cret-pass"})
    assert r.status_code == 302


def test_tokens_and_passwords_are_stored_only_as_hashes(runner, app):
    r = runner.invoke(args=["member", "create", "Maya", "maya@example.com", "--password", "s3cret-pass"])
    token = r.output.strip().splitlines()[-1]
    with app.extensions["referral"].engine.connect() as conn:
        dump = " ".join(str(v) for row in conn.exec_driver_sql("SELECT * FROM members") for v in row)
    assert token not in dump and "s3cret-pass" not in dump


def test_member_create_refuses_a_bad_email_and_a_duplicate(runner):
    assert runner.invoke(args=["member", "create", "X", "not-an-email"]).exit_code != 0
    assert runner.invoke(args=["member", "create", "X", "x@example.com"]).exit_code == 0
    r = runner.invoke(args=["member", "create", "X", "x@example.com"])
    assert r.exit_code != 0 and "already exists" in r.output


CSV = textwrap.dedent("""\
    name,email,specialties,target_clientele,capacity,location,remote,dealbreakers,paused_until
    Ana Ruiz,ana@example.org,bookkeeping;payroll,"restaurants, cafés",2,Porto,false,hostile,
    Tom Park,tom@example.org,wedding photography,,,,,,
    ,nobody@example.org,SEO,,,,,,
    Bad Email,not-an-email,SEO,,,,,,
    Bad Cap,cap@example.org,SEO,,-2,,,,
    Bad Reason,reason@example.org,SEO,,,,,rude,
    Bad Date,date@example.org,SEO,,,,,,tomorrow
    Ana Again,ana@example.org,tax,,,,,,
    No Specialty,nospec@example.org,,,,,,,
""")


def test_import_keeps_good_rows_and_reports_each_bad_one_by_line(runner, client, member, tmp_path):
    path = tmp_path / "colleagues.csv"
    path.write_text(CSV, encoding="utf-8")
    r = runner.invoke(args=["colleagues", "import", str(path)])
    assert r.exit_code == 0, r.output
    assert "2 created, 0 updated, 0 unchanged, 7 rejected" in r.output
    for line, word in [(4, "name"), (5, "email"), (6, "capacity"), (7, "dealbreakers"), (8, "paused_until"),
                       (9, "line 2"), (10, "specialties")]:
        assert any(out.startswith(f"line {line}:") and word in out for out in r.output.splitlines()), (line, r.output)
    ana = client.get("/api/colleagues?q=ana", headers=member.headers).get_json()
    assert ana[0]["remote"] is False and ana[0]["target_clientele"] == "restaurants, cafés"
    tom = client.get("/api/colleagues?q=tom", headers=member.headers).get_json()[0]
    assert (tom["capacity"], tom["remote"]) == (3, True)


def test_importing_the_same_file_twice_changes_nothing(runner, client, member, tmp_path):
    path = tmp_path / "colleagues.csv"
    path.write_text(CSV, encoding="utf-8")
    runner.invoke(args=["colleagues", "import", str(path)])
    before = client.get("/api/colleagues", headers=member.headers).get_json()
    r = runner.invoke(args=["colleagues", "import", str(path)])
    assert "0 created, 0 updated, 2 unchanged" in r.output
    assert client.get("/api/colleagues", headers=member.headers).get_json() == before


def test_import_updates_a_changed_row_by_email(runner, client, member, tmp_path):
    path = tmp_path / "c.csv"
    path.write_text("name,email,specialties,capacity\nAna,ana@example.org,bookkeeping,2\n")
    runner.invoke(args=["colleagues", "import", str(path)])
    path.write_text("name,email,specialties,capacity\nAna,ANA@example.org,bookkeeping,5\n")
    r = runner.invoke(args=["colleagues", "import", str(path)])
    assert "0 created, 1 updated" in r.output
    assert client.get("/api/colleagues?q=ana", headers=member.headers).get_json()[0]["capacity"] == 5


def test_import_names_missing_required_columns(runner, tmp_path):
    path = tmp_path / "c.csv"
    path.write_text("name,specialties\nAna,bookkeeping\n")
    r = runner.invoke(args=["colleagues", "import", str(path)])
    assert r.exit_code != 0 and "email" in r.output


def test_seed_loads_the_demo_network_once(runner, client):
    r = runner.invoke(args=["seed"])
    assert r.exit_code == 0, r.output
    assert "hannah.whitfield@example.com" in r.output
    login = client.post("/login", data={"email": "hannah.whitfield@example.com", "password": "demo-pass-1"})
    assert login.status_code == 302
    listing = client.get("/colleagues/").get_data(as_text=True)
    assert int(found(r"(\d+) in the network", listing)[1]) >= 60
    assert runner.invoke(args=["seed"]).exit_code != 0
    assert runner.invoke(args=["seed", "--if-empty"]).exit_code == 0


def test_migrations_build_the_whole_schema_from_empty_and_step_back(tmp_path):
    url = f"sqlite:///{tmp_path / 'fresh.db'}"
    migrate.upgrade(url)
    engine = make_engine(url)
    assert set(inspect(engine).get_table_names()) >= set(metadata.tables)
    engine.dispose()
    migrate.downgrade(url, "base")
    engine = make_engine(url)
    assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
    engine.dispose()
    migrate.upgrade(url)


def test_the_migrations_and_the_tables_the_code_uses_never_drift_apart(database_url):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    engine = make_engine(database_url)
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), metadata)
    engine.dispose()
    assert diff == []


def test_import_reports_overlong_cells_bad_bytes_and_control_characters_by_line_and_keeps_every_good_row(
        runner, client, member, tmp_path):
    lines = [b"name,email,specialties"]
    lines += [f"Person {n},p{n}@example.org,bookkeeping".encode() for n in range(2, 602)]
    lines[300] = b'Long Cell,long@example.org,"' + b"x" * 140_000 + b'"'  # over the csv module's 131,072
    lines[400] = b"Caf\xe9 Latin1,latin@example.org,bookkeeping"  # not UTF-8
    lines[500] = b"Nul\x00Name,nul@example.org,bookkeeping"  # PostgreSQL cannot store NUL
    lines[550] = b"Spaced Out,  spaced@example.org  ,bookkeeping"
    path = tmp_path / "colleagues.csv"
    path.write_bytes(b"\n".join(lines) + b"\n")
    r = runner.invoke(args=["colleagues", "import", str(path)])
    assert r.exit_code == 0, r.output
    assert "597 created, 0 updated, 0 unchanged, 3 rejected" in r.output
    for line, word in [(301, "131,072"), (401, "UTF-8"), (501, "name: Must not contain control characters")]:
        assert any(out.startswith(f"line {line}:") and word in out for out in r.output.splitlines()), (line, r.output)
    assert client.get("/api/colleagues?q=spaced", headers=member.headers).get_json()[0]["email"] == "spaced@example.org"
    assert client.get("/api/colleagues?q=Person 600", headers=member.headers).get_json()


def test_import_reads_utf16_and_names_the_line_of_a_broken_utf16_file(runner, client, member, tmp_path):
    path = tmp_path / "colleagues.csv"
    path.write_text("name,email,specialties\nZoë Ruiz,zoe@example.org,tax\n", encoding="utf-16")
    r = runner.invoke(args=["colleagues", "import", str(path)])
    assert r.exit_code == 0 and "1 created" in r.output, r.output
    path.write_bytes(path.read_bytes() + "Ben,ben@example.org,tax\n".encode("utf-16-le") + b"\x00\xd8")
    r = runner.invoke(args=["colleagues", "import", str(path)])
    assert r.exit_code == 1 and "line 4 is not valid UTF-16" in r.output and "Traceback" not in r.output, r.output


def import_text(runner, tmp_path, text, *options):
    path = tmp_path / "colleagues.csv"
    path.write_text(text, encoding="utf-8")
    r = runner.invoke(args=["colleagues", "import", str(path), *options])
    assert r.exit_code == 0, r.output
    return r.output


def test_an_operator_import_leaves_records_members_manage_as_they_are_and_names_their_lines(
        runner, client, member, make_colleague, tmp_path):
    make_colleague(name="Ana Ruiz", email="ana@example.org", capacity=3)
    out = import_text(runner, tmp_path, "name,email,specialties,capacity\n"
                      "Someone Else,maya@example.com,tax,3\n"  # the member's own record
                      "Ana Ruiz,ana@example.org,bookkeeping,9\n"  # a colleague the member added
                      "Ana Ruiz,ANA@example.org,bookkeeping,3\n"  # repeated email: reported as before
                      "Tom Park,tom@example.org,tax,2\n")
    assert "1 created, 0 updated, 0 unchanged, 3 rejected" in out
    for line in (2, 3):
        assert f"line {line}: email: a member manages this colleague's record" in out, out
    listing = {c["email"]: c for c in client.get("/api/colleagues", headers=member.headers).get_json()}
    assert listing["ana@example.org"]["capacity"] == 3 and "tom@example.org" in listing
    assert listing["maya@example.com"]["name"] == "Maya Brenner"


@pytest.mark.postgres  # on SQLite a batch holds the write lock from its look-up to its commit
def test_a_colleague_added_while_an_import_batch_runs_keeps_what_the_member_typed_and_the_line_is_named(
        runner, client, member, tmp_path, monkeypatch):
    from referral.services import colleague_import
    real_upsert = colleague_import._upsert
    answers = []

    def member_adds_meanwhile(session, rows, known):
        """The member adds Ana in the directory after the batch looked her email up, before it writes."""
        answers.append(client.post("/api/colleagues", headers=member.headers, json={
            "name": "Ana Ruiz", "email": "ana@example.org", "specialties": ["payroll"], "capacity": 2}))
        return real_upsert(session, rows, known)

    monkeypatch.setattr(colleague_import, "_upsert", member_adds_meanwhile)
    out = import_text(runner, tmp_path, "name,email,specialties,capacity\n"
                      "Someone Else,ana@example.org,tax,9\nTom Park,tom@example.org,tax,2\n")
    assert answers[0].status_code == 201, answers[0].get_json()
    assert "1 created, 0 updated, 0 unchanged, 1 rejected" in out, out
    assert "line 2: email: a colleague with this email was added to the network while the import ran" in out
    listing = {c["email"]: c for c in client.get("/api/colleagues", headers=member.headers).get_json()}
    ana = listing["ana@example.org"]
    assert (ana["name"], ana["specialties"], ana["capacity"]) == ("Ana Ruiz", ["payroll"], 2)
    assert "tom@example.org" in listing


def test_an_import_for_a_member_changes_only_what_they_manage_and_the_colleagues_it_adds_are_theirs(
        runner, client, member, make_member, make_colleague, tmp_path):
    make_colleague(name="Ana Ruiz", email="ana@example.org")
    otto = make_member(name="Otto Lind", email="otto@example.com")
    make_colleague(by=otto, name="Bo Berg", email="bo@example.org")
    out = import_text(runner, tmp_path, "name,email,specialties,capacity\n"
                      "Ana Ruiz,ana@example.org,bookkeeping,5\nBo Berg,bo@example.org,bookkeeping,5\n"
                      "Tom Park,tom@example.org,tax,2\n", "--member", "maya@example.com")
    assert "1 created, 1 updated, 0 unchanged, 1 rejected" in out and "line 3: email: a member manages" in out
    listing = {c["email"]: c for c in client.get("/api/colleagues", headers=member.headers).get_json()}
    assert (listing["ana@example.org"]["capacity"], listing["bo@example.org"]["capacity"]) == (5, 3)
    tom = listing["tom@example.org"]["id"]
    assert client.patch(f"/api/colleagues/{tom}", json={"capacity": 4}, headers=member.headers).status_code == 200
    assert client.patch(f"/api/colleagues/{tom}", json={"capacity": 1}, headers=otto.headers).status_code == 404


def test_an_import_never_lowers_a_capacity_below_the_open_offers(runner, client, member, make_colleague,
                                                                 make_handoff, tmp_path):
    ana = make_colleague(name="Ana Ruiz", email="ana@example.org")
    r = client.post(f"/api/handoffs/{make_handoff(member)}/offers", json={"colleague_id": ana["id"]},
                    headers=member.headers)
    assert r.status_code == 201, r.get_json()
    out = import_text(runner, tmp_path, "name,email,specialties,capacity\nAna Ruiz,ana@example.org,bookkeeping,0\n",
                      "--member", "maya@example.com")
    assert "0 updated" in out and "line 2: capacity: Capacity cannot go below the 1 offer already open" in out, out
    assert client.get("/api/colleagues?q=ana", headers=member.headers).get_json()[0]["capacity"] == 3


def test_importing_a_removed_colleagues_email_names_the_line_and_leaves_them_out_of_the_network(
        runner, client, member, make_colleague, tmp_path):
    ana = make_colleague(name="Ana Ruiz", email="ana@example.org")
    assert client.delete(f"/api/colleagues/{ana['id']}", headers=member.headers).status_code == 204
    for options in ((), ("--member", "maya@example.com")):
        out = import_text(runner, tmp_path, "name,email,specialties\nAna Ruiz,ana@example.org,bookkeeping\n",
                          *options)
        assert "0 created, 0 updated, 0 unchanged, 1 rejected" in out
        assert "line 2: email: this colleague was removed from the network on" in out, out
    assert client.get("/api/colleagues?q=ana", headers=member.headers).get_json() == []


def test_an_import_for_an_unknown_member_stops_before_reading_the_file(runner, tmp_path):
    path = tmp_path / "colleagues.csv"
    path.write_text("name,email,specialties\nTom Park,tom@example.org,tax\n", encoding="utf-8")
    r = runner.invoke(args=["colleagues", "import", str(path), "--member", "nobody@example.com"])
    assert r.exit_code != 0 and "nobody@example.com" in r.output
