"""account: out of office, user booking limits, private links, credits

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-26 10:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from slotwise.models.base import UTCDateTime

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON = sa.JSON().with_variant(sa.JSON(none_as_null=True), "postgresql")


def upgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("booking_limits", JSON, nullable=True))
    op.create_table(
        "out_of_office",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("to_user_id", sa.Integer(), nullable=True),
        sa.Column("start", UTCDateTime(timezone=True), nullable=False),
        sa.Column("end", UTCDateTime(timezone=True), nullable=False),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("reason", sa.String(length=32), nullable=False),
        sa.Column("created_at", UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_out_of_office_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["to_user_id"], ["users.id"], name=op.f("fk_out_of_office_to_user_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_out_of_office")),
        sa.UniqueConstraint("uuid", name=op.f("uq_out_of_office_uuid")),
    )  # fmt: skip
    op.create_index(op.f("ix_out_of_office_user_id"), "out_of_office", ["user_id"])
    op.create_table(
        "private_links",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("link_id", sa.String(length=64), nullable=False),
        sa.Column("event_type_id", sa.Integer(), nullable=False),
        sa.Column("expires_at", UTCDateTime(timezone=True), nullable=True),
        sa.Column("max_usage_count", sa.Integer(), nullable=True),
        sa.Column("usage_count", sa.Integer(), nullable=False),
        sa.Column("created_at", UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_type_id"], ["event_types.id"],
            name=op.f("fk_private_links_event_type_id_event_types"), ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_private_links")),
        sa.UniqueConstraint("link_id", name=op.f("uq_private_links_link_id")),
    )  # fmt: skip
    op.create_index(op.f("ix_private_links_event_type_id"), "private_links", ["event_type_id"])
    op.create_table(
        "credit_accounts",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("monthly_allowance", sa.Integer(), nullable=False),
        sa.Column("monthly_remaining", sa.Integer(), nullable=False),
        sa.Column("period", sa.String(length=7), nullable=False),
        sa.Column("additional", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_credit_accounts_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_credit_accounts")),
    )  # fmt: skip
    op.create_table(
        "credit_charges",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("credits", sa.Integer(), nullable=False),
        sa.Column("from_monthly", sa.Integer(), nullable=False),
        sa.Column("from_additional", sa.Integer(), nullable=False),
        sa.Column("credit_for", sa.String(length=32), nullable=False),
        sa.Column("external_ref", sa.String(length=255), nullable=True),
        sa.Column("created_at", UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_credit_charges_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_credit_charges")),
        sa.UniqueConstraint("user_id", "external_ref", name=op.f("uq_credit_charges_user_id")),
    )  # fmt: skip
    op.create_index(op.f("ix_credit_charges_user_id"), "credit_charges", ["user_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_credit_charges_user_id"), table_name="credit_charges")
    op.drop_table("credit_charges")
    op.drop_table("credit_accounts")
    op.drop_index(op.f("ix_private_links_event_type_id"), table_name="private_links")
    op.drop_table("private_links")
    op.drop_index(op.f("ix_out_of_office_user_id"), table_name="out_of_office")
    op.drop_table("out_of_office")
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("booking_limits")
