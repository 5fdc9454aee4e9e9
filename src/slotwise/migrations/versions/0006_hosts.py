"""hosts: a host row per (event type, user), a booking's hosts, team and scheduling type

Every existing event type becomes single-host: one mandatory host row for its owner, with the
default priority (medium) and weight (100) and no schedule of its own, so availability is read
exactly as before. Existing bookings have no booking_hosts rows (their organizer is their only
host).

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-04 18:41:41.225090
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from slotwise.models.base import UTCDateTime

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "hosts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_type_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("mandatory", sa.Boolean(), nullable=False),
        sa.Column("priority", sa.Integer(), nullable=False),
        sa.Column("weight", sa.Integer(), nullable=False),
        sa.Column("schedule_id", sa.Integer(), nullable=True),
        sa.Column("group_id", sa.String(length=64), nullable=True),
        sa.Column("created_at", UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_type_id"], ["event_types.id"],
            name=op.f("fk_hosts_event_type_id_event_types"), ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["schedule_id"], ["schedules.id"],
            name=op.f("fk_hosts_schedule_id_schedules"), ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_hosts_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hosts")),
        sa.UniqueConstraint("event_type_id", "user_id", name="uq_hosts_event_type_user"),
    )  # fmt: skip
    op.create_index(op.f("ix_hosts_schedule_id"), "hosts", ["schedule_id"])
    op.create_index(op.f("ix_hosts_user_id"), "hosts", ["user_id"])
    op.create_table(
        "booking_hosts",
        sa.Column("booking_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["booking_id"], ["bookings.id"],
            name=op.f("fk_booking_hosts_booking_id_bookings"), ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"],
            name=op.f("fk_booking_hosts_user_id_users"), ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("booking_id", "user_id", name=op.f("pk_booking_hosts")),
    )  # fmt: skip
    op.create_index(op.f("ix_booking_hosts_user_id"), "booking_hosts", ["user_id"])
    with op.batch_alter_table("event_types", schema=None) as batch_op:
        batch_op.add_column(sa.Column("team_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("scheduling_type", sa.String(length=20), nullable=True))
        batch_op.create_index(batch_op.f("ix_event_types_team_id"), ["team_id"], unique=False)
    # Every existing (personal) event type: its owner as its one mandatory host.
    op.execute(
        "INSERT INTO hosts (event_type_id, user_id, mandatory, priority, weight, created_at) "
        "SELECT id, user_id, TRUE, 2, 100, created_at FROM event_types"
    )


def downgrade() -> None:
    with op.batch_alter_table("event_types", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_event_types_team_id"))
        batch_op.drop_column("scheduling_type")
        batch_op.drop_column("team_id")
    op.drop_index(op.f("ix_booking_hosts_user_id"), table_name="booking_hosts")
    op.drop_table("booking_hosts")
    op.drop_index(op.f("ix_hosts_user_id"), table_name="hosts")
    op.drop_index(op.f("ix_hosts_schedule_id"), table_name="hosts")
    op.drop_table("hosts")
