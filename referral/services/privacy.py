"""Personal data: erase a client's (on request, or after the retention period), export a member's.

Erasure blanks what identifies the client (name, email, phone, company, budget, location,
needs, the facts' texts, every disclosure text) and the client's details in stored mail and in
the handoff's history.
What the network's record needs stays: dates, codes, statuses and each disclosure's SHA-256,
so what a colleague acknowledged can still be proven.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import case, delete, func, or_, select, update

from referral.adapters import orm
from referral.adapters.outbox import MAX_ATTEMPTS
from referral.adapters.uow import UnitOfWork
from referral.domain.errors import NotFound
from referral.domain.model import Handoff
from referral.services import care, ledger, tokens
from referral.services.queries import member_colleague_id

__all__ = ["DEFAULT_RETENTION_DAYS", "apply_retention", "erase_client", "export"]

DEFAULT_RETENTION_DAYS = 365
ERASED = Handoff.ERASED
MAIL_ERASED = "The content of this message was erased with the client's personal data."
NOT_SENT = "Not sent: the client's personal data was erased first."
# retention erases at most this many handoffs per worker round, so a first run on an old
# database does not hold one long transaction
RETENTION_BATCH = 200


def _erase(session, handoff: Handoff, now: datetime) -> None:
    """Erase one handoff's client, and the client's details in its stored mail, in the caller's transaction."""
    client = [v for v in (handoff.client_name, handoff.client_email, handoff.client_company, handoff.client_phone)
              if v and v != ERASED]
    if not handoff.erase_client(now):
        return
    O, A, R = orm.outbox, orm.outbox_attempts, orm.referrals

    def scrub(text: str | None) -> str | None:
        for value in client:  # "Ana Ruiz accepted Quentin Gallardo", "<quentin@...>: mailbox unknown"
            text = text.replace(value, ERASED) if text else text
        return text

    # earlier values of corrected client details are personal data too
    session.execute(delete(orm.client_changes).where(orm.client_changes.c.handoff_id == handoff.id))
    # the handoff's history names the client too ("Ana Ruiz accepted Quentin Gallardo.")
    E = orm.handoff_events
    for event in session.execute(select(E.c.id, E.c.detail).where(E.c.handoff_id == handoff.id)):
        if scrub(event.detail) != event.detail:
            session.execute(update(E).where(E.c.id == event.id).values(detail=scrub(event.detail)))
    rows = session.execute(select(O.c.id, O.c.to_addr, O.c.subject, O.c.sent_at, O.c.last_error).where(
        O.c.referral_id.in_(select(R.c.id).where(R.c.handoff_id == handoff.id)) | (O.c.handoff_id == handoff.id))).all()
    for attempt in session.execute(select(A.c.id, A.c.error).where(A.c.outbox_id.in_([r.id for r in rows]))):
        if scrub(attempt.error) != attempt.error:
            session.execute(update(A).where(A.c.id == attempt.id).values(error=scrub(attempt.error)))
    care.erase_reviews(session, handoff.id)
    for row in rows:
        values: dict[str, object] = {"subject": scrub(row.subject), "last_error": scrub(row.last_error),
                                     "text_body": MAIL_ERASED, "html_body": f"<p>{MAIL_ERASED}</p>"}
        if row.to_addr.lower() in (v.lower() for v in client):  # a letter to the client
            values["to_addr"] = ERASED
        if row.sent_at is None:
            # what was not sent yet must not go out blank: it ends as failed, visible on the Mail page
            values.update(attempts=MAX_ATTEMPTS, last_error=NOT_SENT, claimed_until=None)
        session.execute(update(O).where(O.c.id == row.id).values(**values))


def erase_client(uow: UnitOfWork, member_id: int, handoff_id: int, now: datetime) -> None:
    """Erase the client of one of the member's handoffs (again: nothing changes).

    Raises ``NotFound`` for another member's handoff, as for one that does not exist.
    """
    with uow:
        handoff = uow.session.get(Handoff, handoff_id)
        if handoff is None or handoff.member_id != member_id:
            raise NotFound(f"No handoff {handoff_id}.")
        _erase(uow.session, handoff, now)
        uow.commit()


def apply_retention(uow: UnitOfWork, days: int, now: datetime) -> int:
    """Erase the clients kept longer than ``days``; returns how many were erased.

    A handoff's time runs from when its last offer ended (answered, expired, withdrawn, or
    its outcome recorded), or from when it was opened if it was never offered. A handoff
    with an offer still waiting for an answer is kept.
    """
    H, R = orm.handoffs, orm.referrals
    cutoff = now - timedelta(days=days)
    ended = func.coalesce(R.c.outcome_at, R.c.answered_at, R.c.offered_at)
    offers = (select(R.c.handoff_id, func.max(ended).label("ended"),
                     func.sum(case((R.c.status == "offered", 1), else_=0)).label("waiting"))
              .group_by(R.c.handoff_id).subquery())
    due = (select(H.c.id).outerjoin(offers, offers.c.handoff_id == H.c.id)
           .where(H.c.client_erased_at.is_(None), H.c.created_at < cutoff,
                  or_(offers.c.handoff_id.is_(None), (offers.c.ended < cutoff) & (offers.c.waiting == 0)))
           .order_by(H.c.id).limit(RETENTION_BATCH))
    with uow:
        ids = list(uow.session.scalars(due))
        for handoff in uow.session.scalars(select(Handoff).where(H.c.id.in_(ids))):
            _erase(uow.session, handoff, now)
        uow.commit()
    return len(ids)


def _plain(value):
    """JSON-ready: dates and moments as ISO 8601 (UTC for moments), containers walked."""
    if isinstance(value, datetime):
        return value.replace(tzinfo=UTC).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def _rows(session, query) -> list[dict]:
    return [dict(r._mapping) for r in session.execute(query)]


def export(uow: UnitOfWork, member_id: int, now: datetime) -> dict:
    """Everything stored about the member, as one JSON-ready document.

    Keys: ``member`` (with their colleague profile), ``colleagues`` (those they added),
    ``connections``, ``handoffs`` (each with its ``referrals``, ``disclosures``, ``reviews``
    (second readers and their answers), ``dispatches``, ``history`` (the audit trail) and
    ``client_changes``; facts, letter and look-back inside), ``offers_received``, ``ledger``,
    ``mail`` and ``tokens`` (names and dates, never the tokens). Password and token hashes are
    left out.
    """
    C, M, K, H, D, R, O = (orm.colleagues, orm.members, orm.connections, orm.handoffs, orm.disclosures,
                           orm.referrals, orm.outbox)
    with uow.reading():
        s = uow.session
        me = member_colleague_id(s, member_id)
        member = dict(s.execute(select(M.c.id, M.c.created_at).where(M.c.id == member_id)).one()._mapping)
        profile = _rows(s, select(C).where(C.c.id == me))[0]
        colleagues = _rows(s, select(C).where(C.c.added_by_id == me, C.c.id != me).order_by(C.c.id))
        other = func.coalesce(func.nullif(K.c.a_id, me), K.c.b_id)
        connections = _rows(s, select(other.label("colleague_id"), C.c.name, K.c.created_at)
                            .join(C, C.c.id == other).where(or_(K.c.a_id == me, K.c.b_id == me))
                            .order_by(K.c.id))
        handoffs = _rows(s, select(H).where(H.c.member_id == member_id).order_by(H.c.id))
        ids = [h["id"] for h in handoffs]
        # every row hanging off a handoff, under the key the export gives it
        parts = {"disclosures": (D, D.c.version), "referrals": (R, R.c.id), "reviews": (orm.reviews, orm.reviews.c.id),
                 "dispatches": (orm.dispatches, orm.dispatches.c.id),
                 "history": (orm.handoff_events, orm.handoff_events.c.id),
                 "client_changes": (orm.client_changes, orm.client_changes.c.id)}
        attached: dict[str, dict[int, list[dict]]] = {key: {} for key in parts}
        for key, (table, order) in parts.items():
            for row in _rows(s, select(table).where(table.c.handoff_id.in_(ids)).order_by(order)):
                attached[key].setdefault(row["handoff_id"], []).append(row)
        received = _rows(s, select(R.c.id, R.c.from_id, R.c.status, R.c.offered_at, R.c.answered_at,
                                   R.c.outcome_note, R.c.outcome_value, R.c.outcome_at)
                         .where(R.c.to_id == me).order_by(R.c.id))
        mail = _rows(s, select(O.c.id, O.c.kind, O.c.to_addr, O.c.subject, O.c.text_body, O.c.created_at,
                               O.c.sent_at, O.c.attempts, O.c.last_error)
                     .where(O.c.member_id == member_id).order_by(O.c.id))
    for h in handoffs:
        for key, rows in attached.items():
            h[key] = rows.get(h["id"], [])
    return _plain({
        "exported_at": now,
        "member": {**member, "profile": profile},
        "colleagues": colleagues,
        "connections": connections,
        "handoffs": handoffs,
        "offers_received": received,
        "ledger": ledger.member_ledger(uow, member_id),
        "mail": mail,
        "tokens": tokens.list_tokens(uow, member_id, now),
    })
