"""Colleagues are removed softly (``colleagues.removed_at``) instead of deleting the row and its
history; a message that can never be sent ends as failed (``outbox.failed_at``) instead of coming back.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01
"""
import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("colleagues") as batch_op:
        batch_op.add_column(sa.Column("removed_at", sa.DateTime(), nullable=True))
    with op.batch_alter_table("outbox") as batch_op:
        batch_op.add_column(sa.Column("failed_at", sa.DateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("outbox") as batch_op:
        batch_op.drop_column("failed_at")
    with op.batch_alter_table("colleagues") as batch_op:
        batch_op.drop_column("removed_at")
