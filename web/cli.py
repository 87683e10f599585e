"""Command line: ``flask --app web db upgrade | member create | token ... | colleagues import | seed | outbox work``."""

from __future__ import annotations

import codecs
import csv
import sys
import time
from pathlib import Path

import click
from flask import Flask
from flask.cli import AppGroup, with_appcontext
from sqlalchemy.exc import OperationalError
from tqdm import tqdm

from referral.adapters.mailer import mailer_for
from referral.domain.errors import Conflict, Invalid, NotFound
from referral.services import colleague_import, colleagues, delivery, members, privacy, seed, tokens
from web.context import now, services, uow
from web.forms import flatten, split_list
from web.schemas import ColleaguePatchSchema, ColleagueSchema, RowLoader, ValidationError

SEED_DIR = Path(__file__).resolve().parents[1] / "seed_data"
CSV_REQUIRED = ("name", "email", "specialties")

db_cli = AppGroup("db", help="Database schema (Alembic migrations).")
member_cli = AppGroup("member", help="Members who log in and hand clients off.")
colleagues_cli = AppGroup("colleagues", help="The colleague directory.")
outbox_cli = AppGroup("outbox", help="Outgoing mail: offers, reminders, answers.")


@db_cli.command("upgrade")
@click.argument("revision", default="head")
def db_upgrade(revision):
    """Bring the database, new or old, to the current schema."""
    from referral.adapters import migrate  # Alembic costs every other command a third of a second to import

    migrate.upgrade(services().settings.database_url, revision)
    click.echo(f"Database is at {revision}.")


@db_cli.command("downgrade")
@click.argument("revision")
def db_downgrade(revision):
    """Step the schema back to REVISION (``base`` empties it)."""
    from referral.adapters import migrate

    migrate.downgrade(services().settings.database_url, revision)


@member_cli.command("create")
@click.argument("name")
@click.argument("email")
@click.option("--password", help="Password for the web pages (a random one if left out).")
def member_create(name, email, password):
    """Create a member; the API token is printed alone on the last line."""
    errors = flatten(ColleaguePatchSchema().validate({"name": name, "email": email}))
    if errors:
        raise click.UsageError("; ".join(f"{k}: {' '.join(v)}" for k, v in errors.items()))
    try:
        member_id, token = members.create_member(uow(), name, email, password, now())
    except Invalid as err:
        raise click.UsageError(str(err))
    except Conflict as err:
        raise click.ClickException(str(err))
    click.echo(f"Member {member_id} created for {email}. API token (shown once):")
    click.echo(token)


# --- API tokens: list, create, revoke, rotate (each names the member by login email) -------------

token_cli = AppGroup("token", help="A member's API tokens: list, create, revoke, rotate.")


def _member_id(email: str) -> int:
    try:
        return members.member_id_for_email(uow(), email)
    except NotFound as err:
        raise click.ClickException(str(err))


@token_cli.command("list")
@click.argument("email")
def token_list(email):
    """The member's tokens, newest first (never the tokens themselves: only their hashes are kept)."""
    rows = tokens.list_tokens(uow(), _member_id(email), now())
    for t in rows:
        used = f"last used {t['last_used_at']:%Y-%m-%d %H:%M}" if t["last_used_at"] else "never used"
        click.echo(f"{t['id']}\t{t['status']}\texpires {t['expires_at']:%Y-%m-%d}\t{used}\t{t['name']}")
    if not rows:
        click.echo("No tokens.")


@token_cli.command("create")
@click.argument("email")
@click.option("--name", default="command line", show_default=True, help="What the token is for.")
@click.option("--days", default=tokens.DEFAULT_DAYS, show_default=True, type=int, help="Days until it expires.")
def token_create(email, name, days):
    """Make a new token; it is printed alone on the last line, once."""
    try:
        token_id, token = tokens.create(uow(), _member_id(email), name, days, now())
    except Invalid as err:
        raise click.UsageError(str(err))
    click.echo(f"Token {token_id} created for {email}, valid {days} days (shown once):")
    click.echo(token)


@token_cli.command("revoke")
@click.argument("email")
@click.argument("token_id", type=int)
def token_revoke(email, token_id):
    """Stop a token working now."""
    try:
        tokens.revoke(uow(), _member_id(email), token_id, now())
    except NotFound as err:
        raise click.ClickException(str(err))
    click.echo(f"Token {token_id} revoked.")


@token_cli.command("rotate")
@click.argument("email")
@click.argument("token_id", type=int)
def token_rotate(email, token_id):
    """Replace a token: the old one stops working, the new one is printed alone on the last line."""
    try:
        new_id, token = tokens.rotate(uow(), _member_id(email), token_id, now())
    except (NotFound, Conflict) as err:
        raise click.ClickException(str(err))
    click.echo(f"Token {token_id} revoked; token {new_id} replaces it (shown once):")
    click.echo(token)


def csv_payload(row: dict) -> dict:
    """One CSV row in the JSON shape the schema validates (blank optional cells take defaults)."""
    payload: dict = {"name": row.get("name") or "", "email": (row.get("email") or "").strip(),
                     "specialties": split_list(row.get("specialties") or "")}
    if (row.get("target_clientele") or "").strip():
        payload["target_clientele"] = row["target_clientele"]
    if (row.get("capacity") or "").strip():
        cap = row["capacity"].strip()
        payload["capacity"] = int(cap) if cap.lstrip("-").isdigit() else cap
    if (row.get("location") or "").strip():
        payload["location"] = row["location"]
    if (row.get("firm") or "").strip():
        payload["firm"] = row["firm"]
    if (row.get("remote") or "").strip():
        flag = row["remote"].strip().lower()
        payload["remote"] = {"true": True, "false": False}.get(flag, flag)
    payload["dealbreakers"] = split_list(row.get("dealbreakers") or "")
    if (row.get("paused_until") or "").strip():
        payload["paused_until"] = row["paused_until"].strip()
    return payload


UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


def _text_lines(path: Path, bad: dict[int, str]):
    """The file's lines as text; a line that is not valid in its encoding is noted in ``bad``.

    UTF-8 (with or without BOM) is decoded line by line, so one bad line costs only that
    row; a UTF-16 file (recognised by its BOM) is decoded whole, and refused whole if broken.
    """
    with path.open("rb") as f:
        head = f.read(2)
        f.seek(0)
        if head in UTF16_BOMS:
            data = f.read()
            try:
                yield from data.decode("utf-16").splitlines(keepends=True)
            except UnicodeDecodeError as err:
                line = data[:err.start].decode("utf-16", "replace").count("\n") + 1
                raise click.ClickException(f"{path.name}: line {line} is not valid UTF-16 text "
                                           f"({err.reason}); save the file as UTF-8") from None
            return
        for number, raw in enumerate(f, start=1):
            try:
                yield raw.decode("utf-8-sig" if number == 1 else "utf-8")
            except UnicodeDecodeError as err:
                bad[number] = f"not valid UTF-8 text (byte 0x{raw[err.start]:02x} at column {err.start + 1})"
                yield raw.decode("utf-8", "replace")


def read_colleague_csv(path: Path):
    """Yield ``(line, fields)`` for valid rows and ``(line, reason)`` for bad ones.

    A bad row never stops the file: a cell over the csv module's limit, bytes that are not
    UTF-8, a cell the schema refuses, each is one reason on its line.
    """
    schema = RowLoader(ColleagueSchema())  # the API's rules and messages, each distinct value checked once
    bad_encoding: dict[int, str] = {}
    reader = csv.reader(_text_lines(path, bad_encoding))
    header = next(reader, None) or []
    if 1 in bad_encoding:
        raise click.ClickException(f"{path.name}: the header line is {bad_encoding[1]}; save the file as UTF-8")
    header = [h.strip() for h in header]
    missing = [c for c in CSV_REQUIRED if c not in header]
    if missing:
        raise click.ClickException(f"{path.name}: the header lacks the column(s) {', '.join(missing)}")
    last = reader.line_num
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as err:
            last = reader.line_num
            yield last, f"unreadable CSV ({err}; a cell may hold at most {csv.field_size_limit():,} characters)"
            continue
        first, last = last + 1, reader.line_num
        encoding = next((bad_encoding[n] for n in range(first, last + 1) if n in bad_encoding), None)
        if encoding:
            yield last, encoding
        elif not any(c.strip() for c in cells):
            continue  # a blank line
        elif len(cells) > len(header):
            yield last, "more cells than the header has columns"
        else:
            try:
                yield last, schema.load(csv_payload(dict(zip(header, cells))))
            except ValidationError as err:
                yield last, "; ".join(f"{k}: {' '.join(v)}" for k, v in flatten(err.messages).items())


def import_file(path: Path, member_id: int | None = None) -> colleague_import.ImportReport:
    with path.open("rb") as f:
        total = sum(1 for _ in f) - 1
    with tqdm(total=max(total, 0), unit="row", desc=f"Importing {path.name}",
              disable=total < 200, file=sys.stderr) as bar:
        return colleague_import.import_colleagues(uow(), member_id, read_colleague_csv(path), now(), bar.update)


@colleagues_cli.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--member", "member_email", metavar="EMAIL",
              help="Import for this member: new colleagues are theirs to manage, and only records they manage change.")
def colleagues_import(file, member_email):
    """Import colleagues from a CSV file (upsert by email; bad rows, and rows that would change a record
    the import does not manage, are reported by line and skipped)."""
    report = import_file(file, _member_id(member_email) if member_email else None)
    click.echo(f"{report.created} created, {report.updated} updated, {report.unchanged} unchanged, "
               f"{len(report.rejected)} rejected.")
    for line, reason in report.rejected:
        click.echo(f"line {line}: {reason}")


@click.command("seed")
@with_appcontext
@click.option("--if-empty", is_flag=True, help="Do nothing (and succeed) when the network has colleagues.")
def seed_command(if_empty):
    """Load the demo network from seed_data/ into an empty database."""
    if colleagues.count(uow()):
        if if_empty:
            click.echo("The network already has colleagues; the demo network was not loaded.")
            return
        raise click.ClickException("The database is not empty; seed loads only into an empty one.")
    report = import_file(SEED_DIR / "colleagues.csv")
    if report.rejected:
        raise click.ClickException(f"seed_data/colleagues.csv has bad rows: {report.rejected}")
    with (SEED_DIR / "members.csv").open(newline="", encoding="utf-8") as f:
        logins = list(csv.DictReader(f))
    for m in logins:
        members.create_member(uow(), m["name"], m["email"], m["password"], now())
    n_conn, n_ref = seed.load_history(uow(), SEED_DIR, now())
    click.echo(f"Demo network loaded: {report.created} colleagues, {n_conn} connections, {n_ref} referrals.")
    for m in logins:
        click.echo(f"  log in as {m['email']} / {m['password']}")


@outbox_cli.command("work")
@click.option("--once", is_flag=True, help="Process one batch and exit.")
@click.option("--interval", default=5.0, show_default=True, help="Seconds to sleep when idle.")
def outbox_work(once, interval):
    """Send due mail over SMTP_URL, send reminders and expire overdue offers (several workers may run)."""
    svc = services()
    mailer = mailer_for(svc.settings.smtp_url)
    try:
        while True:
            try:
                report = delivery.work_once(svc.uow(), svc.settings, mailer, svc.clock, svc.ranker)
                erased = privacy.apply_retention(svc.uow(), svc.settings.client_retention_days, svc.clock())
            except OperationalError as err:  # the database is restarting: nothing was lost, try again
                if once:
                    raise click.ClickException(f"The database is not answering: {err}") from err
                click.echo(f"The database is not answering; trying again in {interval:g}s.", err=True)
                time.sleep(interval)
                continue
            if report:
                click.echo(str(report))
            if erased:
                click.echo(f"{erased} client{'s' if erased > 1 else ''} erased after "
                           f"CLIENT_RETENTION_DAYS ({svc.settings.client_retention_days}).")
            if once:
                return
            if not report.sent:
                time.sleep(interval)
    except KeyboardInterrupt:
        click.echo("Stopped.")


def register(app: Flask) -> None:
    for group in (db_cli, member_cli, token_cli, colleagues_cli, seed_command, outbox_cli):
        app.cli.add_command(group)
