"""The data dir is 0700; the default SQLite database (with its -wal/-shm) and the generated
secret key file are 0600, also when an older version left them readable by others."""

from __future__ import annotations

import os
import sqlite3
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from pydantic import SecretStr

from slotwise import config
from slotwise.config import Settings, default_data_dir, default_database_url
from slotwise.email.tokens import _load_or_create, resolve_secret_key


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """platformdirs pointed at a temporary directory, under the usual umask 022."""
    home = tmp_path / "share" / "slotwise"
    monkeypatch.delenv("SLOTWISE_DATA_DIR", raising=False)  # tests/conftest.py sets one
    monkeypatch.setattr(config.platformdirs, "user_data_dir", lambda *a, **k: str(home))
    old = os.umask(0o022)
    try:
        yield home
    finally:
        os.umask(old)
        _load_or_create.cache_clear()


def test_data_dir_is_private(data_dir: Path) -> None:
    assert default_data_dir() == data_dir
    assert mode(data_dir) == 0o700
    data_dir.chmod(0o755)  # made by an older version
    default_data_dir()
    assert mode(data_dir) == 0o700


def test_default_sqlite_files_are_private(data_dir: Path) -> None:
    url = default_database_url()
    path = data_dir / "slotwise.db"
    assert url == f"sqlite:///{path}"
    assert mode(data_dir) == 0o700 and mode(path) == 0o600
    conn = sqlite3.connect(path)  # what the server does: WAL mode, a write
    try:
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("CREATE TABLE t (x)")
        conn.execute("INSERT INTO t VALUES (1)")
        conn.commit()
        wal, shm = Path(f"{path}-wal"), Path(f"{path}-shm")
        assert wal.exists() and shm.exists()
        assert (mode(path), mode(wal), mode(shm)) == (0o600, 0o600, 0o600)
        for p in (path, wal, shm):
            p.chmod(0o644)  # left by an older version
        default_database_url()
        assert (mode(path), mode(wal), mode(shm)) == (0o600, 0o600, 0o600)
    finally:
        conn.close()


def test_secret_key_file_is_private(data_dir: Path) -> None:
    settings = Settings(database_url="sqlite://", secret_key=SecretStr(""))
    key = resolve_secret_key(settings)
    path = data_dir / "secret_key"
    assert mode(path) == 0o600 and mode(data_dir) == 0o700
    _load_or_create.cache_clear()
    path.chmod(0o644)  # written by an older version
    assert resolve_secret_key(settings) == key
    assert mode(path) == 0o600


def test_a_sqlite_file_at_a_chosen_path_is_created_private(tmp_path: Path) -> None:
    from slotwise.app import prepare_database

    old = os.umask(0o022)
    try:
        path = tmp_path / "chosen.db"
        prepare_database(Settings(database_url=f"sqlite:///{path}", secret_key=SecretStr("k")))
    finally:
        os.umask(old)
    assert mode(path) == 0o600
    for extra in (Path(f"{path}-wal"), Path(f"{path}-shm")):
        if extra.exists():
            assert mode(extra) == 0o600
