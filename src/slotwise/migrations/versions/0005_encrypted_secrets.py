"""secrets at rest: webhook secrets encrypted with the installation key

Widens ``webhooks.secret`` to text (an encrypted value is longer than the plaintext) and
encrypts every plaintext secret with the key derived from the installation secret key
(``SLOTWISE_SECRET_KEY`` or ``<data dir>/secret_key`` of the machine running the migration;
see slotwise.kit.crypto). Rows already encrypted are left alone, so running it again changes
nothing. The downgrade decrypts them with the same key and narrows the column back.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-27 10:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from slotwise.kit.crypto import decrypt_secret, encrypt_secret, is_encrypted, process_key

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_webhooks = sa.table("webhooks", sa.column("id", sa.Integer), sa.column("secret", sa.Text))


def _rewrite(encrypting: bool) -> None:
    conn = op.get_bind()
    rows = conn.execute(
        sa.select(_webhooks.c.id, _webhooks.c.secret).where(_webhooks.c.secret.is_not(None))
    ).all()
    todo = [(i, v) for i, v in rows if is_encrypted(v) != encrypting]
    if not todo:
        return  # no key is needed (nor generated) for a database without such rows
    key = process_key()
    for row_id, value in todo:
        new = encrypt_secret(value, key) if encrypting else decrypt_secret(value, key)
        conn.execute(sa.update(_webhooks).where(_webhooks.c.id == row_id).values(secret=new))


def upgrade() -> None:
    with op.batch_alter_table("webhooks", schema=None) as batch_op:
        batch_op.alter_column(
            "secret", existing_type=sa.String(length=500), type_=sa.Text(), existing_nullable=True
        )
    _rewrite(encrypting=True)


def downgrade() -> None:
    _rewrite(encrypting=False)
    with op.batch_alter_table("webhooks", schema=None) as batch_op:
        batch_op.alter_column(
            "secret", existing_type=sa.Text(), type_=sa.String(length=500), existing_nullable=True
        )
