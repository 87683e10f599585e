"""A change-log row may name many colleagues (``ref_ids``): one row per transaction or import batch.

Revision ID: 0006
Revises: 0004
Create Date: 2026-12-01
"""
import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("changes") as batch_op:
        batch_op.add_column(sa.Column("ref_ids", sa.JSON(), nullable=True))
        batch_op.alter_column("ref_id", existing_type=sa.Integer(), nullable=True)


def downgrade() -> None:
    # a row naming several colleagues cannot be kept as one ref_id: processes reload in full
    op.execute(sa.text("DELETE FROM changes WHERE ref_id IS NULL"))
    with op.batch_alter_table("changes") as batch_op:
        batch_op.drop_column("ref_ids")
        batch_op.alter_column("ref_id", existing_type=sa.Integer(), nullable=False)
