"""Tables, and the imperative mapping of the domain classes onto them.

The schema itself is owned by Alembic (``migrations/``); this metadata mirrors it
so queries can be written and ``tests`` can check the two never drift apart.
"""

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import registry, relationship

from referral.domain import model

metadata = MetaData()
mapper_registry = registry(metadata=metadata)

colleagues = Table(
    "colleagues", metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(200), nullable=False),
    Column("email", String(320), nullable=False, unique=True),
    Column("specialties", JSON, nullable=False),
    Column("target_clientele", Text, nullable=False, server_default=""),
    Column("capacity", Integer, nullable=False, server_default="3"),
    Column("location", String(200)),
    Column("remote", Boolean, nullable=False, server_default=text("true")),
    Column("dealbreakers", JSON, nullable=False),
    Column("paused_until", Date),
    Column("firm", String(200)),
    Column("added_by_id", Integer, ForeignKey("colleagues.id", ondelete="SET NULL")),
    Column("unsubscribed_at", DateTime),  # one-click unsubscribe: paused with no end date
    Column("created_at", DateTime, nullable=False),
    Column("updated_at", DateTime, nullable=False),
    Column("removed_at", DateTime),  # soft removal: referrals and their history keep the row
)

members = Table(
    "members", metadata,
    Column("id", Integer, primary_key=True),
    Column("colleague_id", Integer, ForeignKey("colleagues.id"), nullable=False, unique=True),
    Column("password_hash", String(300), nullable=False),
    Column("session_key", String(64), nullable=False),
    Column("daily_digest", Boolean, nullable=False, server_default=text("false")),
    Column("created_at", DateTime, nullable=False),
)

api_tokens = Table(
    "api_tokens", metadata,
    Column("id", Integer, primary_key=True),
    Column("member_id", Integer, ForeignKey("members.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("name", String(100), nullable=False),
    Column("token_hash", String(64), nullable=False),
    Column("created_at", DateTime, nullable=False),
    Column("expires_at", DateTime, nullable=False),
    Column("revoked_at", DateTime),
    Column("last_used_at", DateTime),
    UniqueConstraint("token_hash", name="uq_api_tokens_hash"),
)

connections = Table(
    "connections", metadata,
    Column("id", Integer, primary_key=True),
    Column("a_id", Integer, ForeignKey("colleagues.id", ondelete="CASCADE"), nullable=False),
    Column("b_id", Integer, ForeignKey("colleagues.id", ondelete="CASCADE"), nullable=False),
    Column("created_at", DateTime, nullable=False),
    UniqueConstraint("a_id", "b_id", name="uq_connections_pair"),
)

handoffs = Table(
    "handoffs", metadata,
    Column("id", Integer, primary_key=True),
    Column("member_id", Integer, ForeignKey("members.id"), nullable=False, index=True),
    Column("client_name", String(200), nullable=False),
    Column("client_email", String(320), nullable=False),
    Column("client_phone", String(100)),
    Column("client_company", String(200)),
    Column("client_industry", String(200)),
    Column("client_budget", String(200)),
    Column("client_location", String(200)),
    Column("client_needs", Text, nullable=False),
    Column("reasons", JSON, nullable=False),
    Column("facts", JSON, nullable=False),
    Column("exit_strategy", String(32), nullable=False),
    Column("finish_by", Date),
    Column("auto_cascade", Boolean, nullable=False, server_default=text("false")),
    Column("created_at", DateTime, nullable=False),
    Column("updated_at", DateTime, nullable=False),
    Column("client_erased_at", DateTime),
    # letting go with care (migration 0008)
    Column("desired_outcomes", JSON),
    Column("outcome_note", Text),
    Column("contract_terms", JSON),
    Column("letter_sent_at", DateTime),
    Column("letter_sent_via", String(16)),
    Column("client_replied_at", DateTime),
    Column("call_reminded_at", DateTime),
    Column("finish_reminded", Integer),
    Column("closed_at", DateTime),
    Column("retrospective", JSON),
    Column("retrospective_at", DateTime),
)

# a second reader of a handoff's fair warning and letter, reached by a signed link
reviews = Table(
    "reviews", metadata,
    Column("id", Integer, primary_key=True),
    Column("handoff_id", Integer, ForeignKey("handoffs.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("reviewer_email", String(320), nullable=False),
    Column("reviewer_name", String(200), nullable=False, server_default=""),
    Column("note", Text, nullable=False, server_default=""),
    Column("status", String(20), nullable=False),
    Column("comment", Text),
    Column("requested_at", DateTime, nullable=False),
    Column("answered_at", DateTime),
)

disclosures = Table(
    "disclosures", metadata,
    Column("id", Integer, primary_key=True),
    Column("handoff_id", Integer, ForeignKey("handoffs.id", ondelete="CASCADE"), nullable=False),
    Column("version", Integer, nullable=False),
    Column("text", Text, nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("created_at", DateTime, nullable=False),
    UniqueConstraint("handoff_id", "version", name="uq_disclosures_version"),
)

referrals = Table(
    "referrals", metadata,
    Column("id", Integer, primary_key=True),
    Column("handoff_id", Integer, ForeignKey("handoffs.id", ondelete="CASCADE"), index=True),
    Column("from_id", Integer, ForeignKey("colleagues.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("to_id", Integer, ForeignKey("colleagues.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("disclosure_id", Integer, ForeignKey("disclosures.id")),
    Column("status", String(16), nullable=False),
    Column("offered_at", DateTime, nullable=False),
    Column("expires_at", DateTime),
    Column("answered_at", DateTime),
    Column("reminded_at", DateTime),
    Column("acknowledged_sha256", String(64)),
    Column("decline_reason", Text),
    Column("return_of_id", Integer, ForeignKey("referrals.id", ondelete="SET NULL")),
    Column("return_path", JSON),
    Column("outcome_note", Text),
    Column("outcome_value", String(100)),
    Column("outcome_by_id", Integer, ForeignKey("colleagues.id", ondelete="SET NULL")),
    Column("outcome_at", DateTime),
    Column("decline_code", String(32)),
    # the client's name for a referral recorded without a handoff (the demo's history); personal data
    Column("client_name", String(200)),
    Column("dispatch_id", Integer, ForeignKey("dispatches.id", ondelete="SET NULL", name="fk_referrals_dispatch")),
    # 0 for a single or waterfall offer; 1..n for the offers of one broadcast, which are open together
    Column("offer_slot", Integer, nullable=False, server_default="0"),
    # two colleagues can never both take the same client
    Index("uq_referrals_one_taken_per_handoff", "handoff_id", unique=True,
          sqlite_where=text("status IN ('accepted', 'completed')"),
          postgresql_where=text("status IN ('accepted', 'completed')")),
    # one open offer per client, except the offers of a broadcast (one per slot)
    Index("uq_referrals_one_offer_per_slot", "handoff_id", "offer_slot", unique=True,
          sqlite_where=text("status = 'offered'"), postgresql_where=text("status = 'offered'")),
)

# several colleagues offered one client: in turn (waterfall) or at once (broadcast)
dispatches = Table(
    "dispatches", metadata,
    Column("id", Integer, primary_key=True),
    Column("handoff_id", Integer, ForeignKey("handoffs.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("mode", String(16), nullable=False),
    Column("colleague_ids", JSON, nullable=False),
    Column("hours", Float, nullable=False),
    Column("created_at", DateTime, nullable=False),
    Column("ended_at", DateTime),
)

# the audit trail of a handoff and its offers; rows with notify=True are news for the member
handoff_events = Table(
    "handoff_events", metadata,
    Column("id", Integer, primary_key=True),
    Column("handoff_id", Integer, ForeignKey("handoffs.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("referral_id", Integer, ForeignKey("referrals.id", ondelete="CASCADE")),
    Column("member_id", Integer, ForeignKey("members.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("at", DateTime, nullable=False),
    Column("actor", String(200), nullable=False),
    Column("action", String(40), nullable=False),
    Column("detail", Text, nullable=False, server_default=""),
    Column("notify", Boolean, nullable=False, server_default=text("false")),
    Column("digested_at", DateTime),
)

# every change to a handoff's client details, kept (old and new value are personal data)
client_changes = Table(
    "client_changes", metadata,
    Column("id", Integer, primary_key=True),
    Column("handoff_id", Integer, ForeignKey("handoffs.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("field", String(20), nullable=False),
    Column("old_value", Text),
    Column("new_value", Text),
    Column("changed_at", DateTime, nullable=False),
)

outbox = Table(
    "outbox", metadata,
    Column("id", Integer, primary_key=True),
    Column("member_id", Integer, ForeignKey("members.id", ondelete="CASCADE"), index=True),
    Column("referral_id", Integer, ForeignKey("referrals.id", ondelete="CASCADE")),
    # mail about a handoff but no offer (a second read, the letter, the member's reminders): erased with its client
    Column("handoff_id", Integer, ForeignKey("handoffs.id", ondelete="CASCADE")),
    Column("kind", String(40), nullable=False),
    Column("to_addr", String(320), nullable=False),
    Column("subject", String(300), nullable=False),
    Column("text_body", Text, nullable=False),
    Column("html_body", Text, nullable=False),
    Column("unsubscribe_url", Text),
    Column("message_id", String(300), nullable=False, unique=True),
    Column("created_at", DateTime, nullable=False),
    Column("due_at", DateTime, nullable=False),
    Column("attempts", Integer, nullable=False, server_default="0"),
    Column("last_error", Text),
    Column("claimed_until", DateTime),
    Column("sent_at", DateTime),
    Column("failed_at", DateTime),  # cannot be built or sent, ever: not tried again
    Index("ix_outbox_due", "sent_at", "due_at"),
)

outbox_attempts = Table(
    "outbox_attempts", metadata,
    Column("id", Integer, primary_key=True),
    Column("outbox_id", Integer, ForeignKey("outbox.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("at", DateTime, nullable=False),
    Column("error", Text),
)

used_links = Table(
    "used_links", metadata,
    Column("jti", String(64), primary_key=True),
    Column("used_at", DateTime, nullable=False),
)

# append-only log of network changes: each process applies only the rows it has not seen
changes = Table(
    "changes", metadata,
    Column("id", Integer, primary_key=True),
    Column("topic", String(20), nullable=False),
    Column("ref_id", Integer),  # rows written before 0006: one colleague each
    Column("ref_ids", JSON),  # the colleagues one transaction changed (connections: either end)
    Column("at", DateTime, nullable=False),
)

# one vector per distinct phrase and model (float32 bytes); key = sha256 of model and phrase
phrase_vectors = Table(
    "phrase_vectors", metadata,
    Column("key", String(64), primary_key=True),
    Column("model", String(64), nullable=False),
    Column("phrase", Text, nullable=False),
    Column("vector", LargeBinary, nullable=False),
)

_mapped = False


def start_mappers() -> None:
    """Map the domain classes onto the tables (idempotent; called by the app factory)."""
    global _mapped
    if _mapped:
        return
    _mapped = True
    mapper_registry.map_imperatively(model.Colleague, colleagues)
    mapper_registry.map_imperatively(model.Member, members, properties={
        "colleague": relationship(model.Colleague, lazy="joined"),
    })
    mapper_registry.map_imperatively(model.ApiToken, api_tokens)
    mapper_registry.map_imperatively(model.Connection, connections)
    mapper_registry.map_imperatively(model.Disclosure, disclosures)
    mapper_registry.map_imperatively(model.Handoff, handoffs, properties={
        "disclosures": relationship(model.Disclosure, order_by=disclosures.c.version,
                                    cascade="all, delete-orphan"),
    })
    mapper_registry.map_imperatively(model.Review, reviews)
    mapper_registry.map_imperatively(model.Referral, referrals, properties={
        "handoff": relationship(model.Handoff),
        "disclosure": relationship(model.Disclosure),
    })
