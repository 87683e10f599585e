"""The referral loop: decline codes, waterfall and broadcast dispatches, the handoff's history,
unsubscribed colleagues and the member's digest choice.

A broadcast offers one client to several colleagues at once, so "one live offer per client"
becomes two rules: at most one accepted (or completed) referral per handoff, and at most one
open offer per handoff and slot (slot 0 for single and waterfall offers, 1..n in a broadcast).

Revision ID: 0009
Revises: 0006
Create Date: 2026-12-01
"""
import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0005"
branch_labels = None
depends_on = None

LIVE = "status IN ('offered', 'accepted', 'completed')"
TAKEN = "status IN ('accepted', 'completed')"
OPEN = "status = 'offered'"


def upgrade() -> None:
    op.create_table(
        "dispatches",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("handoff_id", sa.Integer, sa.ForeignKey("handoffs.id", ondelete="CASCADE"), nullable=False,
                  index=True),
        sa.Column("mode", sa.String(16), nullable=False),
        sa.Column("colleague_ids", sa.JSON, nullable=False),
        sa.Column("hours", sa.Float, nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("ended_at", sa.DateTime),
    )
    op.create_table(
        "handoff_events",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("handoff_id", sa.Integer, sa.ForeignKey("handoffs.id", ondelete="CASCADE"), nullable=False,
                  index=True),
        sa.Column("referral_id", sa.Integer, sa.ForeignKey("referrals.id", ondelete="CASCADE")),
        sa.Column("member_id", sa.Integer, sa.ForeignKey("members.id", ondelete="CASCADE"), nullable=False,
                  index=True),
        sa.Column("at", sa.DateTime, nullable=False),
        sa.Column("actor", sa.String(200), nullable=False),
        sa.Column("action", sa.String(40), nullable=False),
        sa.Column("detail", sa.Text, nullable=False, server_default=""),
        sa.Column("notify", sa.Boolean, nullable=False, server_default=sa.text("false")),
        sa.Column("digested_at", sa.DateTime),
    )
    op.drop_index("uq_referrals_one_open_per_handoff", "referrals")
    with op.batch_alter_table("referrals") as batch_op:
        batch_op.add_column(sa.Column("decline_code", sa.String(32)))
        batch_op.add_column(sa.Column("dispatch_id", sa.Integer))
        batch_op.add_column(sa.Column("offer_slot", sa.Integer, nullable=False, server_default="0"))
        batch_op.create_foreign_key("fk_referrals_dispatch", "dispatches", ["dispatch_id"], ["id"],
                                    ondelete="SET NULL")
    op.create_index("uq_referrals_one_taken_per_handoff", "referrals", ["handoff_id"], unique=True,
                    sqlite_where=sa.text(TAKEN), postgresql_where=sa.text(TAKEN))
    op.create_index("uq_referrals_one_offer_per_slot", "referrals", ["handoff_id", "offer_slot"], unique=True,
                    sqlite_where=sa.text(OPEN), postgresql_where=sa.text(OPEN))
    with op.batch_alter_table("colleagues") as batch_op:
        batch_op.add_column(sa.Column("unsubscribed_at", sa.DateTime))
    with op.batch_alter_table("outbox") as batch_op:
        batch_op.add_column(sa.Column("unsubscribe_url", sa.Text))
    with op.batch_alter_table("members") as batch_op:
        batch_op.add_column(sa.Column("daily_digest", sa.Boolean, nullable=False, server_default=sa.text("false")))


def downgrade() -> None:
    with op.batch_alter_table("outbox") as batch_op:
        batch_op.drop_column("unsubscribe_url")
    with op.batch_alter_table("members") as batch_op:
        batch_op.drop_column("daily_digest")
    with op.batch_alter_table("colleagues") as batch_op:
        batch_op.drop_column("unsubscribed_at")
    op.drop_index("uq_referrals_one_offer_per_slot", "referrals")
    op.drop_index("uq_referrals_one_taken_per_handoff", "referrals")
    with op.batch_alter_table("referrals") as batch_op:
        batch_op.drop_constraint("fk_referrals_dispatch", type_="foreignkey")
        batch_op.drop_column("offer_slot")
        batch_op.drop_column("dispatch_id")
        batch_op.drop_column("decline_code")
    op.create_index("uq_referrals_one_open_per_handoff", "referrals", ["handoff_id"], unique=True,
                    sqlite_where=sa.text(LIVE), postgresql_where=sa.text(LIVE))
    op.drop_table("handoff_events")
    op.drop_table("dispatches")
