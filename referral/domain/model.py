"""The business objects: colleagues, members, handoffs (outgoing clients) and referrals.

Plain Python: the adapters map these classes onto tables (SQLAlchemy imperative
mapping), so nothing here knows about a database. Time is always passed in.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, datetime
from typing import ClassVar

from referral.domain.errors import Conflict, Invalid, NotFound
from referral.domain.lifecycle import check_reopen, check_transition
from referral.domain.vocab import EXITS_WITHOUT_COLLEAGUE

__all__ = [
    "ApiToken", "Colleague", "Connection", "ContractTerm", "Disclosure", "Fact", "Handoff", "Member", "Referral",
    "Retrospective", "Review", "finish_reminder_due", "sha256",
]

#: days before ``finish_by`` when the member is reminded of the timeline, earliest first
FINISH_REMINDER_DAYS = (7, 1)


def sha256(text: str) -> str:
    """Hex SHA-256 of ``text`` encoded as UTF-8: the fingerprint of a disclosure version."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class Colleague:
    """Someone in the network who may receive referrals (every member is one too)."""

    id: int  # given by the database when the row is first flushed (the mapping adds it)

    EDITABLE = (
        "name", "email", "specialties", "target_clientele", "capacity",
        "location", "remote", "dealbreakers", "paused_until", "firm",
    )

    def __init__(self, name: str, email: str, specialties: list[str], target_clientele: str = "",
                 capacity: int = 3, location: str | None = None, remote: bool = True,
                 dealbreakers: list[str] | None = None, paused_until: date | None = None,
                 added_by_id: int | None = None, now: datetime | None = None, firm: str | None = None):
        self.name = name
        self.firm = firm or None
        self.email = email.strip().lower()
        self.specialties = list(specialties)
        self.target_clientele = target_clientele or ""
        self.capacity = capacity
        self.location = location or None
        self.remote = remote
        self.dealbreakers = list(dealbreakers or [])
        self.paused_until = paused_until
        self.added_by_id = added_by_id
        self.unsubscribed_at: datetime | None = None
        self.created_at = self.updated_at = now
        self.removed_at: datetime | None = None

    def update(self, now: datetime, **fields) -> bool:
        """Apply the given editable fields; return True when anything changed."""
        changed = False
        for key, value in fields.items():
            if key not in self.EDITABLE:
                raise KeyError(key)
            if key == "email":
                value = value.strip().lower()
            if key in ("specialties", "dealbreakers"):
                value = list(value)
            if key == "target_clientele":
                value = value or ""
            if key == "firm":
                value = value or None
            if getattr(self, key) != value:
                setattr(self, key, value)
                changed = True
        if changed:
            self.updated_at = now
        return changed

    def remove(self, now: datetime) -> None:
        """Take the colleague out of the network (never a candidate again); the row and history stay."""
        self.removed_at = self.updated_at = now

    def is_paused(self, today: date) -> bool:
        """True while the colleague takes no referrals (paused until and including that day)."""
        return self.paused_until is not None and self.paused_until >= today


class Member:
    """A person who logs in and hands clients off; always backed by a :class:`Colleague`."""

    id: int  # given by the database when the row is first flushed (the mapping adds it)
    colleague_id: int

    def __init__(self, colleague: Colleague, password_hash: str, session_key: str, now: datetime):
        self.colleague = colleague
        self.password_hash = password_hash
        self.session_key = session_key
        self.daily_digest = False  # news about offers: one mail per event, or one a day
        self.created_at = now

    def change_password(self, password_hash: str, session_key: str) -> None:
        """A new password ends every session: the old key is in every cookie issued so far."""
        self.password_hash = password_hash
        self.end_sessions(session_key)

    def end_sessions(self, session_key: str) -> None:
        """Every login cookie carries the session key; a new one makes all of them stop working."""
        self.session_key = session_key

    @property
    def name(self) -> str:
        return self.colleague.name

    @property
    def email(self) -> str:
        return self.colleague.email


class ApiToken:
    """One of a member's API tokens: only its hash is kept; it works until it expires or is revoked."""

    id: int  # given by the database when the row is first flushed (the mapping adds it)

    def __init__(self, member_id: int, name: str, token_hash: str, now: datetime, expires_at: datetime):
        self.member_id = member_id
        self.name = name
        self.token_hash = token_hash
        self.created_at = now
        self.expires_at = expires_at
        self.revoked_at: datetime | None = None
        self.last_used_at: datetime | None = None

    def works(self, now: datetime) -> bool:
        return self.revoked_at is None and now < self.expires_at

    def revoke(self, now: datetime) -> None:
        """Stop the token working from now on (revoking it twice keeps the first moment)."""
        if self.revoked_at is None:
            self.revoked_at = now


class Connection:
    """Two colleagues who know each other (undirected; stored with the smaller id first)."""

    id: int  # given by the database when the row is first flushed (the mapping adds it)

    def __init__(self, a_id: int, b_id: int, now: datetime):
        self.a_id, self.b_id = sorted((a_id, b_id))
        self.created_at = now


@dataclass(frozen=True)
class Fact:
    """A dated fact behind the reasons, e.g. ``2026-03-02: invoice 114 paid 41 days late``."""

    date: date
    text: str

    def as_json(self) -> dict:
        return {"date": self.date.isoformat(), "text": self.text}


@dataclass(frozen=True)
class ContractTerm:
    """One term of the contract with the client, and whether each side met it (``yes``/``partly``/``no``)."""

    term: str
    due: date | None
    met_by_me: str
    met_by_client: str
    note: str = ""

    @property
    def is_gap(self) -> bool:
        """True when the member's own side is not fully met: put it right before letting go."""
        return self.met_by_me != "yes"

    def as_json(self) -> dict:
        return {"term": self.term, "due": self.due.isoformat() if self.due else None,
                "met_by_me": self.met_by_me, "met_by_client": self.met_by_client, "note": self.note}

    @classmethod
    def from_json(cls, data: dict) -> ContractTerm:
        due = data.get("due")
        return cls(data["term"], date.fromisoformat(due) if due else None, data["met_by_me"],
                   data["met_by_client"], data.get("note") or "")


@dataclass(frozen=True)
class Retrospective:
    """The member's look back once a handoff has ended: what went wrong, and on whose side."""

    what_did_not_work: str = ""
    my_part: str = ""
    their_part: str = ""
    next_time: str = ""
    warning_signs: tuple[str, ...] = ()
    outcomes_achieved: tuple[str, ...] = ()  # which of the desired outcomes came about

    def as_json(self) -> dict:
        return {"what_did_not_work": self.what_did_not_work, "my_part": self.my_part,
                "their_part": self.their_part, "next_time": self.next_time,
                "warning_signs": list(self.warning_signs), "outcomes_achieved": list(self.outcomes_achieved)}


def finish_reminder_due(finish_by: date | None, today: date, last_sent: int | None) -> int | None:
    """Which timeline reminder is due today (7 or 1 days before ``finish_by``), or None.

    ``last_sent`` is the reminder sent last (its days before). Only the nearest one due is
    sent, so a handoff made 3 days before its finish date gets one reminder now, then the 1-day one.

    >>> finish_reminder_due(date(2026, 12, 18), date(2026, 12, 11), None)
    7
    >>> finish_reminder_due(date(2026, 12, 18), date(2026, 12, 12), 7) is None
    True
    >>> finish_reminder_due(date(2026, 12, 18), date(2026, 12, 17), 7)
    1
    """
    if finish_by is None or today > finish_by:
        return None
    left = (finish_by - today).days
    due = [d for d in FINISH_REMINDER_DAYS if left <= d and (last_sent is None or d < last_sent)]
    return min(due) if due else None


class Disclosure:
    """One stored version of a handoff's fair warning; never edited after it is written, except that
    erasing the client blanks its text (its SHA-256 stays)."""

    def __init__(self, version: int, text: str, now: datetime):
        self.version = version
        self.text = text
        self.sha256 = sha256(text)
        self.created_at = now


class Handoff:
    """An outgoing client: who they are, what they need, why the member lets them go."""

    id: int  # given by the database when the row is first flushed (the mapping adds it)
    # set from ``client`` in __init__ (optional details are None when not given)
    client_phone: str | None
    client_company: str | None
    client_industry: str | None
    client_budget: str | None
    client_location: str | None

    def __init__(self, member_id: int, client: dict, reasons: list[str], facts: list[Fact],
                 disclosure: str, exit_strategy: str, finish_by: date | None, now: datetime,
                 auto_cascade: bool = False, desired_outcomes: list[str] | None = None,
                 outcome_note: str = "", contract_terms: list[ContractTerm] | None = None):
        self.member_id = member_id
        self.client_name = client["name"]
        self.client_email = client["email"]
        for key in ("phone", "company", "industry", "budget", "location"):
            setattr(self, f"client_{key}", client.get(key) or None)
        self.client_needs = client["needs"]
        self.reasons = list(reasons)
        self.facts = [f.as_json() for f in facts]
        self.exit_strategy = exit_strategy
        self.finish_by = finish_by
        self.auto_cascade = auto_cascade
        self.created_at = self.updated_at = now
        self.disclosures = [Disclosure(1, disclosure, now)]
        self.client_erased_at: datetime | None = None
        self.desired_outcomes = list(desired_outcomes or [])
        self.outcome_note = outcome_note or ""
        self.contract_terms = [t.as_json() for t in contract_terms or []]
        self.letter_sent_at: datetime | None = None
        self.letter_sent_via: str | None = None  # "service" (sent from here) or "marked" (sent elsewhere)
        self.client_replied_at: datetime | None = None
        self.call_reminded_at: datetime | None = None
        self.finish_reminded: int | None = None  # days before finish_by of the last timeline reminder
        self.closed_at: datetime | None = None
        self.retrospective: dict | None = None
        self.retrospective_at: datetime | None = None

    # --- letting go with care ------------------------------------------------------------------

    @property
    def terms(self) -> list[ContractTerm]:
        return [ContractTerm.from_json(t) for t in self.contract_terms or []]

    def contract_gaps(self) -> list[tuple[int, ContractTerm]]:
        """``(index, term)`` of each term the member has not fully met: unmet before partly, by due date."""
        gaps = [(i, t) for i, t in enumerate(self.terms) if t.is_gap]
        return sorted(gaps, key=lambda it: (it[1].met_by_me != "no", it[1].due or date.max, it[0]))

    def fix_term(self, index: int, now: datetime, note: str = "") -> ContractTerm:
        """Record that the member put term ``index`` right (one step); unknown index: ``NotFound``."""
        terms = self.terms
        if not 0 <= index < len(terms):
            raise NotFound(f"no contract term {index}")
        old = terms[index]
        fixed = ContractTerm(old.term, old.due, "yes", old.met_by_client,
                             f"{old.note} {note}".strip() if note else old.note)
        self.contract_terms = [t.as_json() for t in terms[:index] + [fixed] + terms[index + 1:]]
        self.updated_at = now
        return fixed

    @property
    def needs_colleague(self) -> bool:
        """False when the exit needs no colleague (bow out after finishing): no offer is forced."""
        return self.exit_strategy not in EXITS_WITHOUT_COLLEAGUE

    def record_letter_sent(self, via: str, now: datetime) -> None:
        """The letter to the client went out (``service`` or ``marked``); twice raises ``Conflict``."""
        if self.letter_sent_at is not None:
            raise Conflict("The letter to the client was sent already.")
        self.letter_sent_at, self.letter_sent_via, self.updated_at = now, via, now

    def record_client_replied(self, now: datetime) -> None:
        """The client answered the letter: no reminder to call them."""
        if self.client_replied_at is None:
            self.client_replied_at = self.updated_at = now

    def close(self, now: datetime) -> None:
        """The member ends the handoff (placed elsewhere, finished, or dropped); idempotent."""
        if self.closed_at is None:
            self.closed_at = self.updated_at = now

    def record_retrospective(self, retro: Retrospective, ended: bool, now: datetime) -> None:
        """Keep the member's look back; only once the handoff has ended (placed or closed)."""
        if not ended:
            raise Conflict("Look back once the handoff has ended: when the client is placed or you close it.")
        if not any((retro.what_did_not_work, retro.my_part, retro.their_part, retro.next_time,
                    retro.warning_signs)):
            raise Invalid({"what_did_not_work": ["Write at least one thing you noticed."]})
        self.retrospective, self.retrospective_at, self.updated_at = retro.as_json(), now, now

    def runway_days(self, today: date) -> int | None:
        """Days left until ``finish_by`` (negative once it has passed), or None without a date."""
        return None if self.finish_by is None else (self.finish_by - today).days

    @property
    def disclosure(self) -> Disclosure:
        """The current (latest) version of the fair warning."""
        return max(self.disclosures, key=lambda d: d.version)

    ERASED = "[erased]"

    def erase_client(self, now: datetime) -> bool:
        """Blank the client's personal data, the facts' texts and every disclosure text.

        Dates, codes and each disclosure's SHA-256 stay: the record of what a colleague
        acknowledged survives. Returns False when it was erased already.
        """
        if self.client_erased_at is not None:
            return False
        self.client_name = self.client_email = self.client_needs = self.ERASED
        for key in ("phone", "company", "budget", "location"):
            setattr(self, f"client_{key}", None)
        self.facts = [{**f, "text": self.ERASED} for f in self.facts]
        for d in self.disclosures:
            d.text = self.ERASED  # sha256 is kept on purpose
        # letting go with care: free text that may speak of the client; codes and dates stay
        self.outcome_note = self.ERASED if self.outcome_note else self.outcome_note
        self.contract_terms = [{**t, "note": self.ERASED if t.get("note") else ""} for t in self.contract_terms or []]
        if self.retrospective:
            self.retrospective = {**self.retrospective, "what_did_not_work": self.ERASED, "their_part": self.ERASED}
        self.client_erased_at = self.updated_at = now
        return True

    def revise_disclosure(self, text: str, now: datetime) -> Disclosure:
        """Keep every earlier version; a new text becomes the next version."""
        current = self.disclosure
        if text == current.text:
            return current
        new = Disclosure(current.version + 1, text, now)
        self.disclosures.append(new)
        self.updated_at = now
        return new

    CLIENT_KEYS = ("name", "email", "phone", "company", "industry", "budget", "location", "needs")

    @property
    def client(self) -> dict:
        return {k: getattr(self, f"client_{k}") for k in self.CLIENT_KEYS}

    def revise_client(self, client: dict, now: datetime) -> list[tuple[str, str | None, str | None]]:
        """Take the client's details as given; returns ``(field, old, new)`` for each that changed.

        Empty optional details become None; the caller keeps the returned changes as history
        and decides whether the client may still be changed (not once a colleague accepted).
        """
        changed = []
        for key in self.CLIENT_KEYS:
            new = client.get(key) or None
            old = getattr(self, f"client_{key}")
            if new != old:
                setattr(self, f"client_{key}", new)
                changed.append((key, old, new))
        if changed:
            self.updated_at = now
        return changed


class Review:
    """A second reader's look at the fair warning and the letter before they go out."""

    id: int  # given by the database when the row is first flushed (the mapping adds it)

    VERDICTS: ClassVar[dict[str, str]] = {"approve": "approved", "suggest_changes": "changes_suggested"}

    def __init__(self, handoff_id: int, reviewer_email: str, reviewer_name: str, note: str, now: datetime):
        self.handoff_id = handoff_id
        self.reviewer_email = reviewer_email.strip().lower()
        self.reviewer_name = reviewer_name or ""
        self.note = note or ""
        self.status = "requested"
        self.comment: str | None = None
        self.requested_at = now
        self.answered_at: datetime | None = None

    def answer(self, verdict: str, comment: str, now: datetime) -> None:
        """``approve`` or ``suggest_changes`` (which needs a comment); a second answer raises ``Conflict``."""
        if verdict not in self.VERDICTS:
            raise Invalid({"verdict": [f"Must be one of: {', '.join(self.VERDICTS)}."]})
        if self.status != "requested":
            raise Conflict("This second read was answered already.")
        if verdict == "suggest_changes" and not comment.strip():
            raise Invalid({"comment": ["Say what you would change."]})
        self.status, self.comment, self.answered_at = self.VERDICTS[verdict], comment.strip() or None, now


class Referral:
    """An offer of a handoff's client to one colleague, and what became of it."""

    id: int  # given by the database when the row is first flushed (the mapping adds it)
    handoff_id: int | None  # the mapping keeps it in step with ``handoff``
    client_name: str | None  # only on a referral kept from the history without a handoff (the demo's)

    def __init__(self, from_id: int, to_id: int, now: datetime, handoff: Handoff | None = None,
                 disclosure: Disclosure | None = None, expires_at: datetime | None = None,
                 status: str = "offered"):
        self.from_id = from_id
        self.to_id = to_id
        self.handoff = handoff
        self.disclosure = disclosure
        self.status = status
        self.offered_at = now
        self.expires_at = expires_at
        self.answered_at: datetime | None = None
        self.reminded_at: datetime | None = None
        self.acknowledged_sha256: str | None = None
        self.decline_reason: str | None = None
        self.return_of_id: int | None = None
        self.return_path: list[int] | None = None
        self.outcome_note: str | None = None
        self.outcome_value: str | None = None
        self.outcome_by_id: int | None = None
        self.outcome_at: datetime | None = None
        self.decline_code: str | None = None
        self.dispatch_id: int | None = None
        self.offer_slot = 0

    def move_to(self, status: str, now: datetime) -> None:
        """Change status along the lifecycle or raise ``IllegalTransition``."""
        check_transition(self.status, status)
        self.status = status
        if status in ("accepted", "declined", "expired", "withdrawn"):
            self.answered_at = now

    def reopen(self, now: datetime, expires_at: datetime) -> str:
        """Undo a wrongly recorded answer: the offer is open again until ``expires_at``.

        Returns the status it had; raises ``IllegalTransition`` when that answer cannot be undone.
        """
        was = self.status
        check_reopen(was)
        self.status = "offered"
        self.answered_at = None
        self.acknowledged_sha256 = None
        self.decline_code = self.decline_reason = None
        self.reminded_at = None
        self.offered_at, self.expires_at = now, expires_at
        return was
