"""Letting go with care: outcomes, contract terms, the letter's timeline, retrospectives, second reads, firms.

Revision ID: 0008
Revises: 0004, 0006
Create Date: 2026-12-01
"""
import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0009"
branch_labels = None
depends_on = None

HANDOFF_COLUMNS = (
    ("desired_outcomes", sa.JSON),
    ("outcome_note", sa.Text),
    ("contract_terms", sa.JSON),
    ("letter_sent_at", sa.DateTime),
    ("letter_sent_via", lambda: sa.String(16)),
    ("client_replied_at", sa.DateTime),
    ("call_reminded_at", sa.DateTime),
    ("finish_reminded", sa.Integer),
    ("closed_at", sa.DateTime),
    ("retrospective", sa.JSON),
    ("retrospective_at", sa.DateTime),
)


def upgrade() -> None:
    with op.batch_alter_table("handoffs") as batch_op:
        for name, type_ in HANDOFF_COLUMNS:
            batch_op.add_column(sa.Column(name, type_()))
    with op.batch_alter_table("colleagues") as batch_op:
        batch_op.add_column(sa.Column("firm", sa.String(200)))
    with op.batch_alter_table("outbox") as batch_op:
        batch_op.add_column(sa.Column("handoff_id", sa.Integer))
        batch_op.create_foreign_key("fk_outbox_handoff_id", "handoffs", ["handoff_id"], ["id"], ondelete="CASCADE")
    op.create_table(
        "reviews",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("handoff_id", sa.Integer, sa.ForeignKey("handoffs.id", ondelete="CASCADE"), nullable=False),
        sa.Column("reviewer_email", sa.String(320), nullable=False),
        sa.Column("reviewer_name", sa.String(200), nullable=False, server_default=""),
        sa.Column("note", sa.Text, nullable=False, server_default=""),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("comment", sa.Text),
        sa.Column("requested_at", sa.DateTime, nullable=False),
        sa.Column("answered_at", sa.DateTime),
    )
    op.create_index("ix_reviews_handoff_id", "reviews", ["handoff_id"])


def downgrade() -> None:
    op.drop_index("ix_reviews_handoff_id", table_name="reviews")
    op.drop_table("reviews")
    with op.batch_alter_table("outbox") as batch_op:
        batch_op.drop_constraint("fk_outbox_handoff_id", type_="foreignkey")
        batch_op.drop_column("handoff_id")
    with op.batch_alter_table("colleagues") as batch_op:
        batch_op.drop_column("firm")
    with op.batch_alter_table("handoffs") as batch_op:
        for name, _ in reversed(HANDOFF_COLUMNS):
            batch_op.drop_column(name)
