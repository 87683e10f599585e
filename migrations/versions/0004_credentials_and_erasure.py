"""Credentials that can be withdrawn, and clients whose personal data can be erased.

- ``members.session_key``: part of the id a login cookie carries; replacing it ends every
  session and "keep me logged in" cookie of the member (log out, password change).
- ``api_tokens``: several named API tokens per member, each with an expiry, revocable; only
  their SHA-256 is stored. The single ``members.token_hash`` moves there.
- ``handoffs.client_erased_at``: when the client's personal data was erased.

Revision ID: 0004
Revises: 0002
Create Date: 2026-12-01
"""
import secrets
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

# a token made before tokens expired keeps working for a year from the upgrade
CARRIED_OVER_DAYS = 365


def upgrade() -> None:
    op.create_table(
        "api_tokens",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.Column("revoked_at", sa.DateTime(), nullable=True),
        sa.Column("last_used_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["member_id"], ["members.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("token_hash", name="uq_api_tokens_hash"),
    )
    op.create_index("ix_api_tokens_member_id", "api_tokens", ["member_id"])
    conn = op.get_bind()
    now = datetime.now(UTC).replace(tzinfo=None)
    members = conn.execute(sa.text("SELECT id, token_hash, created_at FROM members")).all()
    tokens = sa.table("api_tokens", sa.column("member_id"), sa.column("name"), sa.column("token_hash"),
                      sa.column("created_at"), sa.column("expires_at"))
    if members:
        conn.execute(tokens.insert(), [
            {"member_id": m.id, "name": "first token", "token_hash": m.token_hash, "created_at": m.created_at,
             "expires_at": now + timedelta(days=CARRIED_OVER_DAYS)} for m in members])
    with op.batch_alter_table("members") as batch_op:
        batch_op.add_column(sa.Column("session_key", sa.String(length=64), nullable=True))
        batch_op.drop_column("token_hash")
    for m in members:
        conn.execute(sa.text("UPDATE members SET session_key = :k WHERE id = :id"),
                     {"k": secrets.token_hex(16), "id": m.id})
    with op.batch_alter_table("members") as batch_op:
        batch_op.alter_column("session_key", existing_type=sa.String(length=64), nullable=False)
    with op.batch_alter_table("handoffs") as batch_op:
        batch_op.add_column(sa.Column("client_erased_at", sa.DateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("handoffs") as batch_op:
        batch_op.drop_column("client_erased_at")
    conn = op.get_bind()
    with op.batch_alter_table("members") as batch_op:
        batch_op.add_column(sa.Column("token_hash", sa.String(length=64), nullable=True))
    for (member_id,) in conn.execute(sa.text("SELECT id FROM members")).all():
        # the member's newest token that still works, else one nobody holds
        kept = conn.execute(sa.text(
            "SELECT token_hash FROM api_tokens WHERE member_id = :id AND revoked_at IS NULL "
            "ORDER BY id DESC"), {"id": member_id}).first()
        conn.execute(sa.text("UPDATE members SET token_hash = :h WHERE id = :id"),
                     {"h": kept[0] if kept else secrets.token_hex(32), "id": member_id})
    with op.batch_alter_table("members") as batch_op:
        batch_op.alter_column("token_hash", existing_type=sa.String(length=64), nullable=False)
        batch_op.create_unique_constraint("members_token_hash_key", ["token_hash"])
        batch_op.drop_column("session_key")
    op.drop_index("ix_api_tokens_member_id", table_name="api_tokens")
    op.drop_table("api_tokens")
