"""Client details can be corrected, every change kept; seeded referrals carry their client's name.

Revision ID: 0007
Revises: 0009
Create Date: 2026-12-01
"""
import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "client_changes",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("handoff_id", sa.Integer, sa.ForeignKey("handoffs.id", ondelete="CASCADE"), nullable=False),
        sa.Column("field", sa.String(20), nullable=False),
        sa.Column("old_value", sa.Text),
        sa.Column("new_value", sa.Text),
        sa.Column("changed_at", sa.DateTime, nullable=False),
    )
    op.create_index("ix_client_changes_handoff_id", "client_changes", ["handoff_id"])
    with op.batch_alter_table("referrals") as batch_op:
        batch_op.add_column(sa.Column("client_name", sa.String(200)))


def downgrade() -> None:
    with op.batch_alter_table("referrals") as batch_op:
        batch_op.drop_column("client_name")
    op.drop_index("ix_client_changes_handoff_id", table_name="client_changes")
    op.drop_table("client_changes")
