"""Secrets at rest: values the server must read back (webhook signing secrets; later provider
credentials) are stored encrypted with a key derived from the installation's secret key.

- **Key**: the installation secret key (``SLOTWISE_SECRET_KEY``, or the key generated once into
  ``<data dir>/secret_key``; :func:`installation_key`). The encryption key is derived from it
  with HKDF-SHA256 (``info`` = ``slotwise/secrets-at-rest/v1``), so the secret key itself never
  encrypts anything and the email-link signatures use an independent key.
- **Format**: ``enc:v1:`` followed by a Fernet token (AES-128-CBC + HMAC-SHA256, from the
  ``cryptography`` package; URL-safe base64 text). A stored value without the prefix is a
  legacy plaintext value: it is read as is, and encrypted by migration 0005 or
  ``slotwise secrets rotate``.
- **Columns**: :class:`EncryptedText` encrypts on write and decrypts on read, with the process's
  key (:func:`process_key`); ``slotwise secrets rotate`` (:func:`rotate_secrets`) finds every
  such column in the models' metadata (:func:`encrypted_columns`).

Errors: :class:`SecretDecryptionError` when a value was encrypted with another key.
"""

from __future__ import annotations

import base64
import os
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from sqlalchemy import Column, MetaData, Text
from sqlalchemy.engine import Dialect
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.types import TypeDecorator

if TYPE_CHECKING:
    from slotwise.config import Settings

PREFIX = "enc:v1:"
_HKDF_INFO = b"slotwise/secrets-at-rest/v1"
_ENV_SECRET_KEY = "SLOTWISE_SECRET_KEY"


class SecretDecryptionError(ValueError):
    """A stored value carries the ``enc:v1:`` prefix but none of the keys tried decrypts it
    (it was encrypted with another secret key, or it is corrupt). The message never contains the
    value."""


@lru_cache(maxsize=16)
def _fernet(installation_key: bytes) -> Fernet:
    derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_HKDF_INFO).derive(
        installation_key
    )
    return Fernet(base64.urlsafe_b64encode(derived))


def is_encrypted(stored: str) -> bool:
    """True when ``stored`` is in the encrypted format (``enc:v1:`` prefix); False for a legacy
    plaintext value."""
    return stored.startswith(PREFIX)


def encrypt_secret(plaintext: str, key: bytes) -> str:
    """Encrypt ``plaintext`` (any text) with the key derived from ``key`` (the installation
    secret key, bytes). Returns ``enc:v1:<Fernet token>``: about 4/3 of the UTF-8 length plus
    ~110 characters; a new random IV each call, so equal inputs give different outputs."""
    token = _fernet(key).encrypt(plaintext.encode("utf-8"))
    return PREFIX + token.decode("ascii")


def decrypt_secret(stored: str, *keys: bytes) -> str:
    """The plaintext of a value written by :func:`encrypt_secret` with any of ``keys`` (tried in
    order). A legacy plaintext value (no ``enc:v1:`` prefix) is returned unchanged. Raises
    SecretDecryptionError when no key decrypts it."""
    if not is_encrypted(stored):
        return stored
    index = key_index(stored, *keys)
    if index is None:
        raise SecretDecryptionError(
            "A stored secret cannot be decrypted with the current secret key: "
            "SLOTWISE_SECRET_KEY (or <data dir>/secret_key) changed; run "
            "`slotwise secrets rotate --old-key OLD` with the previous key"
        )
    token = stored[len(PREFIX) :].encode("ascii")
    return _fernet(keys[index]).decrypt(token).decode("utf-8")


def key_index(stored: str, *keys: bytes) -> int | None:
    """The position in ``keys`` of the first key that decrypts the encrypted value ``stored``;
    None when none does or ``stored`` is not in the encrypted format."""
    if not is_encrypted(stored):
        return None
    try:
        token = stored[len(PREFIX) :].encode("ascii")
    except UnicodeEncodeError:
        return None
    for index, key in enumerate(keys):
        try:
            _fernet(key).decrypt(token)
        except InvalidToken:
            continue
        return index
    return None


def installation_key(settings: Settings | None = None) -> bytes:
    """The installation secret key (bytes): ``settings.secret_key`` when set, otherwise the
    key kept in ``<data dir>/secret_key`` (generated, mode 0600, the first time). Without
    ``settings``: the environment's (``SLOTWISE_SECRET_KEY``). Raises RuntimeError for an empty
    key file."""
    from slotwise.config import Settings
    from slotwise.email.tokens import resolve_secret_key

    if settings is None:
        settings = Settings(database_url="sqlite://")  # only the key is read
    return resolve_secret_key(settings)


_installed_key: bytes | None = None


@lru_cache(maxsize=4)
def _environment_key(_env_value: str | None) -> bytes:
    return installation_key()


def set_process_key(key: bytes | None) -> None:
    """Make ``key`` the key :class:`EncryptedText` columns use in this process (None: back to
    the environment's, :func:`installation_key`). For programs that build Settings themselves
    with another secret key than the environment's."""
    global _installed_key
    _installed_key = key


def process_key() -> bytes:
    """The key :class:`EncryptedText` columns encrypt and decrypt with: the one set by
    :func:`set_process_key`, else the environment's installation key (read once per value of
    ``SLOTWISE_SECRET_KEY``)."""
    if _installed_key is not None:
        return _installed_key
    return _environment_key(os.environ.get(_ENV_SECRET_KEY))


class EncryptedText(TypeDecorator[str]):
    """A text column holding a secret the server must read back: Python sees the plaintext,
    the database ``enc:v1:…`` (:func:`encrypt_secret` with :func:`process_key`). Legacy
    plaintext rows read as they are. Reading a value encrypted with another key raises
    SecretDecryptionError (run ``slotwise secrets rotate``). Not comparable in SQL."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: str | None, dialect: Dialect) -> str | None:
        """Encrypt on the way in (None stays NULL)."""
        if value is None:
            return None
        return encrypt_secret(value, process_key())

    def process_result_value(self, value: Any, dialect: Dialect) -> str | None:
        """Decrypt on the way out (None stays None; legacy plaintext as is)."""
        if value is None:
            return None
        return decrypt_secret(str(value), process_key())


def encrypted_columns(metadata: MetaData) -> Iterator[tuple[str, str, str]]:
    """``(table, primary key column, column)`` of every :class:`EncryptedText` column of
    ``metadata`` whose table has a one-column primary key, in table order."""
    for table in metadata.sorted_tables:
        primary = list(table.primary_key.columns)
        if len(primary) != 1:
            continue
        for column in table.columns:
            if isinstance(column, Column) and isinstance(column.type, EncryptedText):
                yield table.name, primary[0].name, column.name


@dataclass
class RotationCount:
    """What :func:`rotate_secrets` did to one column: values re-encrypted from the old key,
    values already under the current key (left alone), legacy plaintext values encrypted."""

    table: str
    column: str
    reencrypted: int = 0
    current: int = 0
    plaintext: int = 0


async def rotate_secrets(
    session: AsyncSession, metadata: MetaData, *, old_key: bytes, new_key: bytes
) -> list[RotationCount]:
    """Re-encrypt, in the caller's transaction, every value of every :class:`EncryptedText`
    column of ``metadata`` that ``old_key`` decrypts, with ``new_key``; encrypt legacy
    plaintext values with ``new_key``; leave values ``new_key`` already decrypts alone (so
    running it twice changes nothing). Rows are locked (``FOR UPDATE``) on PostgreSQL.

    Raises SecretDecryptionError, naming the rows (never their values), when a value decrypts
    with neither key; the caller's transaction should then roll back."""
    counts: list[RotationCount] = []
    unreadable: list[str] = []
    for table_name, pk, column in encrypted_columns(metadata):
        table = sa.table(table_name, sa.column(pk), sa.column(column, Text))
        key_col, value_col = table.c[pk], table.c[column]
        rows = (
            await session.execute(
                sa.select(key_col, value_col)
                .where(value_col.is_not(None))
                .order_by(key_col)
                .with_for_update()
            )
        ).all()
        count = RotationCount(table_name, column)
        for row_id, stored in rows:
            if not is_encrypted(stored):
                count.plaintext += 1
                plaintext = stored
            else:
                index = key_index(stored, new_key, old_key)
                if index == 0:
                    count.current += 1
                    continue
                if index is None:
                    unreadable.append(f"{table_name}.{column} {pk}={row_id}")
                    continue
                count.reencrypted += 1
                plaintext = decrypt_secret(stored, old_key)
            await session.execute(
                sa.update(table)
                .where(key_col == row_id, value_col == stored)
                .values({column: encrypt_secret(plaintext, new_key)})
            )
        counts.append(count)
    if unreadable:
        raise SecretDecryptionError(
            f"{len(unreadable)} stored secret(s) decrypt with neither the old nor the current "
            f"key: {', '.join(unreadable[:20])}{' …' if len(unreadable) > 20 else ''}. Nothing "
            "was changed; pass the key they were encrypted with as --old-key"
        )
    return counts
