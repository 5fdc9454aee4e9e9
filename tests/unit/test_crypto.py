"""slotwise.kit.crypto: the encrypted format, keys, legacy plaintext, errors."""

from __future__ import annotations

import base64

import pytest
from cryptography.fernet import Fernet

from slotwise.kit import crypto
from slotwise.kit.crypto import (
    PREFIX,
    EncryptedText,
    SecretDecryptionError,
    decrypt_secret,
    encrypt_secret,
    encrypted_columns,
    is_encrypted,
    key_index,
)
from slotwise.models import Base

KEY, OTHER = b"installation key one", b"installation key two"


@pytest.mark.parametrize("plain", ["s3cret", "", "ünïcødé ✓", "x" * 2000])
def test_round_trip(plain: str) -> None:
    stored = encrypt_secret(plain, KEY)
    assert stored.startswith(PREFIX) and is_encrypted(stored)
    assert plain not in stored[len(PREFIX) :] or plain == ""
    assert decrypt_secret(stored, KEY) == plain
    assert stored.isascii()


def test_fresh_iv_each_time() -> None:
    assert encrypt_secret("same", KEY) != encrypt_secret("same", KEY)


def test_key_is_derived_not_used_directly() -> None:
    """The installation key is not the Fernet key: a Fernet key made from its bytes directly
    does not read the token."""
    raw = base64.urlsafe_b64encode(KEY.ljust(32, b"\0")[:32])
    token = encrypt_secret("v", KEY)[len(PREFIX) :].encode()
    with pytest.raises(Exception):  # noqa: B017  (InvalidToken)
        Fernet(raw).decrypt(token)


def test_wrong_key_fails_loudly_without_the_value() -> None:
    stored = encrypt_secret("do-not-print", KEY)
    with pytest.raises(SecretDecryptionError, match="secrets rotate") as caught:
        decrypt_secret(stored, OTHER)
    assert "do-not-print" not in str(caught.value) and stored not in str(caught.value)
    with pytest.raises(SecretDecryptionError):
        decrypt_secret(PREFIX + "not-a-token", KEY)


def test_several_keys_and_key_index() -> None:
    stored = encrypt_secret("v", OTHER)
    assert decrypt_secret(stored, KEY, OTHER) == "v"
    assert key_index(stored, KEY, OTHER) == 1
    assert key_index(stored, KEY) is None
    assert key_index("legacy", KEY) is None


def test_legacy_plaintext_is_read_as_is() -> None:
    assert not is_encrypted("whsec_legacy")
    assert decrypt_secret("whsec_legacy", KEY) == "whsec_legacy"


def test_column_type_uses_the_process_key() -> None:
    column = EncryptedText()
    crypto.set_process_key(KEY)
    try:
        stored = column.process_bind_param("v", None)
        assert stored is not None and decrypt_secret(stored, KEY) == "v"
        assert column.process_result_value(stored, None) == "v"
        assert column.process_result_value("legacy", None) == "legacy"
        assert column.process_bind_param(None, None) is None
        crypto.set_process_key(OTHER)
        with pytest.raises(SecretDecryptionError):
            column.process_result_value(stored, None)
    finally:
        crypto.set_process_key(None)


def test_process_key_follows_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SLOTWISE_SECRET_KEY", "from-env")
    assert crypto.process_key() == b"from-env"


def test_encrypted_columns_of_the_models() -> None:
    assert list(encrypted_columns(Base.metadata)) == [
        ("calendar_credentials", "id", "key"),
        ("webhooks", "id", "secret"),
    ]
