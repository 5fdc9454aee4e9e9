"""seated bookings: a seat uid and per-seat data on attendees

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26 09:40:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("attendees", schema=None) as batch_op:
        batch_op.add_column(sa.Column("seat_uid", sa.String(length=64), nullable=True))
        batch_op.add_column(
            sa.Column(
                "seat_data",
                sa.JSON().with_variant(sa.JSON(none_as_null=True), "postgresql"),
                nullable=True,
            )
        )
        batch_op.create_unique_constraint(batch_op.f("uq_attendees_seat_uid"), ["seat_uid"])


def downgrade() -> None:
    with op.batch_alter_table("attendees", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_attendees_seat_uid"), type_="unique")
        batch_op.drop_column("seat_data")
        batch_op.drop_column("seat_uid")
