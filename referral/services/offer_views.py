"""Read-only views of offers for the pages and the API (no rules, no commits)."""

from __future__ import annotations

import csv
import io
import re
import statistics
from datetime import date, datetime, timedelta

from sqlalchemy import select

from referral.adapters import orm
from referral.adapters.links import LinkClaims
from referral.adapters.outbox import LOGGED_NOTE, MAX_ATTEMPTS
from referral.adapters.uow import UnitOfWork
from referral.config import Settings
from referral.domain.errors import NotFound
from referral.domain.model import Colleague, Handoff, Referral
from referral.domain.vocab import DECLINE_CODES, EXIT_STRATEGIES, REASONS
from referral.services import mailbox
from referral.services.answers import check_answerable
from referral.services.client_letters import letter_for
from referral.services.eligibility import why_not_offerable
from referral.services.offers import ANSWER_PATH, handoff_of, load_colleague, load_member
from referral.services.queries import member_colleague_id

R = orm.referrals

__all__ = [
    "answer_page",
    "dispatch_json",
    "member_figures",
    "member_mail",
    "member_referral",
    "member_referrals",
    "offer_preview",
    "referral_json",
    "referrals_csv",
    "to_do",
]


def _mine(session, member_id: int, referral_id: int) -> Referral:
    me = member_colleague_id(session, member_id)
    referral = session.get(Referral, referral_id)
    if referral is None or referral.from_id != me:
        raise NotFound(f"You have no referral {referral_id}.")
    return referral


def _as_dict(session, r: Referral) -> dict:
    colleague = session.get(Colleague, r.to_id)
    return {
        "id": r.id,
        "handoff_id": r.handoff_id,
        "status": r.status,
        "colleague_id": r.to_id,
        "colleague_name": colleague.name if colleague else None,
        "from_id": r.from_id,
        "to_id": r.to_id,
        "offered_at": r.offered_at,
        "expires_at": r.expires_at,
        "answered_at": r.answered_at,
        "reminded_at": r.reminded_at,
        "decline_reason": r.decline_reason,
        "decline_code": r.decline_code,
        "decline_note": r.decline_reason,
        "decline_label": DECLINE_CODES.get(r.decline_code) if r.decline_code else None,
        "dispatch_mode": session.scalar(select(orm.dispatches.c.mode).where(orm.dispatches.c.id == r.dispatch_id))
        if r.dispatch_id else None,
        "disclosure_version": r.disclosure.version if r.disclosure else None,
        "disclosure_sha256": r.disclosure.sha256 if r.disclosure else None,
        "acknowledged_sha256": r.acknowledged_sha256,
        "client_name": r.handoff.client_name if r.handoff else r.client_name,
    }


def referral_json(uow: UnitOfWork, member_id: int, referral_id: int) -> dict:
    """One of the member's referrals; another member's or none: ``NotFound``."""
    with uow.reading():
        return _as_dict(uow.session, _mine(uow.session, member_id, referral_id))


def dispatch_json(uow: UnitOfWork, member_id: int, handoff_id: int, mode: str, referral_ids: list[int]) -> dict:
    """``{"handoff_id", "mode", "referrals"}`` for offers just made to several colleagues."""
    with uow.reading():
        s = uow.session
        return {"handoff_id": handoff_id, "mode": mode,
                "referrals": [_as_dict(s, _mine(s, member_id, rid)) for rid in referral_ids]}


def answer_page(uow: UnitOfWork, claims: LinkClaims, now: datetime) -> dict:
    """What the colleague sees before answering: needs and fair warning, never the client's identity.

    Raises as :func:`referral.services.answers.check_answerable` when the link can no longer answer.
    """
    with uow.reading():
        s = uow.session
        r = check_answerable(s, claims.referral_id, claims.colleague_id, claims.jti, now, lock=False)
        h = handoff_of(r)
        if r.disclosure is None:  # only referrals from the history lack one, and they have no handoff
            raise NotFound("This offer no longer exists.")
        return {
            "referral_id": r.id,
            "action": claims.action,
            "expires_at": r.expires_at,
            "member_name": load_member(s, h.member_id).name,
            "colleague_name": load_colleague(s, r.to_id).name,
            "needs": h.client_needs,
            "industry": h.client_industry,
            "budget": h.client_budget,
            "location": h.client_location,
            "reasons": [REASONS.get(code, code) for code in h.reasons],
            "facts": [{"date": date.fromisoformat(f["date"]), "text": f["text"]} for f in h.facts],
            "disclosure": r.disclosure.text,
            "disclosure_sha256": r.disclosure.sha256,
            "decline_codes": DECLINE_CODES,
        }


# the Accept/Decline links are the colleague's alone: a member reading the copy must not be able to
# answer in the colleague's name
_ANSWER_LINK = re.compile(r"\S*" + re.escape(ANSWER_PATH.split("{")[0]) + r"[\w.-]+")


def _without_answer_links(text: str) -> str:
    return _ANSWER_LINK.sub("[the colleague's personal link]", text)


def _mail_rows(session, where, with_links: bool = False) -> list[dict]:
    OB = orm.outbox
    rows = session.execute(
        select(OB).where(where).order_by(OB.c.created_at.desc(), OB.c.id.desc()).limit(500)
    ).all()
    out = []
    for row in rows:
        if row.sent_at:
            state = "sent"
        elif row.failed_at:
            state = "failed"
        elif row.last_error == LOGGED_NOTE:
            state = "printed to the log (no SMTP server set)"
        elif row.attempts >= MAX_ATTEMPTS:
            state = "gave up"
        elif row.attempts:
            state = "retrying"
        else:
            state = "queued"
        out.append(
            {
                "id": row.id,
                "referral_id": row.referral_id,
                "kind": row.kind,
                "to": row.to_addr,
                "subject": row.subject,
                "created_at": row.created_at,
                "sent_at": row.sent_at,
                "due_at": row.due_at,
                "state": state,
                "attempts": row.attempts,
                "last_error": row.last_error,
                "text": row.text_body if with_links else _without_answer_links(row.text_body),
            }
        )
    return out


def member_referral(uow: UnitOfWork, member_id: int, referral_id: int) -> dict:
    """The member's page for one referral: status, the letter to the client once accepted, its mail."""
    with uow.reading():
        s = uow.session
        r = _mine(s, member_id, referral_id)
        view = _as_dict(s, r)
        view["letter"] = letter_for(s, r) if r.handoff and r.status in ("accepted", "completed") else None
        view["exit_strategy"] = EXIT_STRATEGIES.get(r.handoff.exit_strategy) if r.handoff else None
        view["mail"] = _mail_rows(s, orm.outbox.c.referral_id == r.id)
        view["letter_sent"] = any(m["kind"] == "client_letter" for m in view["mail"])
        return view


def member_referrals(uow: UnitOfWork, member_id: int) -> list[dict]:
    with uow.reading():
        s = uow.session
        me = member_colleague_id(s, member_id)
        rows = s.scalars(
            select(Referral)
            .where(R.c.from_id == me, R.c.handoff_id.is_not(None))
            .order_by(R.c.offered_at.desc(), R.c.id.desc())
            .limit(500)
        ).all()
        return [_as_dict(s, r) for r in rows]


def member_mail(uow: UnitOfWork, member_id: int, with_links: bool = False) -> list[dict]:
    """Every message sent or waiting for the member's referrals, newest first.

    The colleague's answer links are blanked out (the member must not answer for them), unless
    ``with_links``: only for the development mail page, where no mail server delivers them.
    """
    with uow.reading():
        return _mail_rows(uow.session, orm.outbox.c.member_id == member_id, with_links)


def _answered_rows(session, member_id: int):
    me = member_colleague_id(session, member_id)
    return session.execute(
        select(R.c.id, R.c.handoff_id, R.c.status, R.c.offered_at, R.c.answered_at, R.c.decline_code,
               R.c.outcome_value, orm.colleagues.c.name.label("colleague_name"),
               orm.handoffs.c.client_name)
        .join(orm.colleagues, orm.colleagues.c.id == R.c.to_id)
        .join(orm.handoffs, orm.handoffs.c.id == R.c.handoff_id)
        .where(R.c.from_id == me)
        .order_by(R.c.offered_at, R.c.id)
    ).all()


def _hours_to_answer(row) -> float | None:
    if row.answered_at is None or row.status not in ("accepted", "completed", "declined"):
        return None  # expired and withdrawn offers were never answered by the colleague
    return (row.answered_at - row.offered_at).total_seconds() / 3600


def member_figures(uow: UnitOfWork, member_id: int) -> dict:
    """The member's offer figures: ``answered``, ``accepted``, ``acceptance_rate`` (accepted of the
    offers a colleague answered or let expire; None before the first) and ``median_hours`` to answer."""
    with uow.reading():
        rows = _answered_rows(uow.session, member_id)
    closed = [r for r in rows if r.status in ("accepted", "completed", "declined", "expired")]
    accepted = sum(r.status in ("accepted", "completed") for r in closed)
    hours = [h for h in map(_hours_to_answer, rows) if h is not None]
    return {
        "answered": len(closed),
        "accepted": accepted,
        "acceptance_rate": accepted / len(closed) if closed else None,
        "median_hours": statistics.median(hours) if hours else None,
    }


CSV_COLUMNS = ("referral_id", "handoff_id", "client", "colleague", "status", "offered_at", "answered_at",
               "hours_to_answer", "decline_code", "outcome_value")


def _cell(value) -> str:
    """A CSV cell a spreadsheet shows as text: one starting with = + - @ (or a tab or carriage return,
    which some programs skip before looking) is prefixed with an apostrophe, so it never runs as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def referrals_csv(uow: UnitOfWork, member_id: int) -> str:
    """The member's referrals as CSV (header first, oldest first): status, dates, time to answer,
    decline code, outcome value; cells that a spreadsheet would run as formulas are neutralised."""
    with uow.reading():
        rows = _answered_rows(uow.session, member_id)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for r in rows:
        hours = _hours_to_answer(r)
        writer.writerow([_cell(v) for v in (
            r.id, r.handoff_id, r.client_name, r.colleague_name, r.status,
            r.offered_at.isoformat(timespec="minutes") + "Z",
            r.answered_at.isoformat(timespec="minutes") + "Z" if r.answered_at else "",
            f"{hours:.1f}" if hours is not None else "", r.decline_code, r.outcome_value,
        )])
    return out.getvalue()


def offer_preview(uow: UnitOfWork, settings: Settings, member_id: int, handoff_id: int, colleague_id: int,
                  now: datetime) -> dict:
    """The offer mail exactly as ``colleague_id`` would read it if it were sent ``now``; nothing is stored.

    The answer links are placeholders (real ones are signed only when the offer exists). ``why_not``
    says why the colleague cannot be offered the client now (None if they can). Raises ``NotFound``
    for another member's handoff or an unknown colleague.
    """
    with uow.reading():
        s = uow.session
        handoff = s.get(Handoff, handoff_id)
        if handoff is None or handoff.member_id != member_id:
            raise NotFound(f"You have no handoff {handoff_id}.")
        colleague = s.get(Colleague, colleague_id)
        if colleague is None:
            raise NotFound(f"There is no colleague {colleague_id} in the network.")
        member = load_member(s, member_id)
        mail = mailbox.offer(
            handoff=handoff,
            member_name=member.name,
            colleague_name=colleague.name,
            colleague_email=colleague.email,
            disclosure_text=handoff.disclosure.text,
            accept_url="[their personal Accept link]",
            decline_url="[their personal Decline link]",
            expires_at=now + timedelta(hours=settings.expire_after_hours),
        )
        return {"handoff_id": handoff.id, "client_name": handoff.client_name, "colleague_id": colleague.id,
                "colleague_name": colleague.name, "to": mail.to_addr, "subject": mail.subject, "text": mail.text,
                "why_not": why_not_offerable(s, handoff, colleague, now.date())}


def to_do(uow: UnitOfWork, member_id: int, now: datetime) -> dict:
    """What needs the member now, oldest first: ``waiting`` (offers not yet answered, with
    ``waiting_hours``), ``letters`` (accepted clients whose letter was not sent from here) and
    ``outcomes`` (accepted referrals, given or received, whose outcome is not recorded)."""
    with uow.reading():
        s = uow.session
        me = member_colleague_id(s, member_id)
        rows = s.scalars(
            select(Referral)
            .where(R.c.status.in_(("offered", "accepted")), (R.c.from_id == me) | (R.c.to_id == me))
            .order_by(R.c.offered_at, R.c.id)
            .limit(500)
        ).all()
        lettered = set(s.scalars(select(orm.outbox.c.referral_id).where(
            orm.outbox.c.kind == "client_letter", orm.outbox.c.referral_id.in_([r.id for r in rows]))))
        out: dict[str, list] = {"waiting": [], "letters": [], "outcomes": []}
        for r in rows:
            view = _as_dict(s, r)
            if r.from_id != me:
                view["colleague_name"] = load_colleague(s, r.from_id).name
            view["given"] = r.from_id == me
            if r.status == "offered" and r.from_id == me:
                view["waiting_hours"] = max(int((now - r.offered_at).total_seconds() // 3600), 0)
                out["waiting"].append(view)
            elif r.status == "accepted":
                if r.from_id == me and r.handoff is not None and r.id not in lettered:
                    out["letters"].append(view)
                out["outcomes"].append(view)
        return out
