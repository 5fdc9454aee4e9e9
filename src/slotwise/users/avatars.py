"""Users' avatars: an uploaded image checked and resized with Pillow, stored as a PNG file in
the data dir (``<data dir>/avatars/<user id>-<hash>.png``) and served at ``/avatars/<file>``.

An upload is at most :data:`MAX_UPLOAD_BYTES`; it must be a PNG, JPEG, GIF or WebP image of at
most :data:`MAX_PIXELS` pixels (decompression bombs are refused before decoding). It is turned
upright (EXIF orientation), cropped to a centred square and scaled to
:data:`SIZE` × :data:`SIZE`. The file name carries a hash of the result, so the URL of a new
avatar is new (served as immutable); the user's previous file is deleted when the transaction
commits.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import warnings
from pathlib import Path
from typing import Any

from PIL import Image, ImageOps, UnidentifiedImageError
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncSession

from slotwise.config import default_data_dir
from slotwise.kit.errors import BadRequest
from slotwise.models import User

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
"""The largest image accepted (5 MiB)."""
SIZE = 256
"""Width and height of a stored avatar, in pixels."""
MAX_PIXELS = 40_000_000
"""The most pixels an uploaded image may have (width × height)."""
FORMATS = ("PNG", "JPEG", "GIF", "WEBP")
ROUTE = "/avatars/"
"""The public path prefix of avatar files."""
FILE_NAME = re.compile(r"^[0-9]{1,12}-[0-9a-f]{16}\.png$")

NOT_AN_IMAGE = "The file is not an image (PNG, JPEG, GIF or WebP)"
TOO_LARGE = "The image is larger than 5 MB"
TOO_MANY_PIXELS = "The image has too many pixels"


def avatar_dir() -> Path:
    """``<data dir>/avatars``, created if missing."""
    path = default_data_dir() / "avatars"
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    return path


def avatar_file(name: str) -> Path | None:
    """The stored file called ``name`` (a name this module made), or None."""
    if not FILE_NAME.match(name):
        return None
    path = avatar_dir() / name
    return path if path.is_file() else None


def local_avatar_path(url: str | None) -> str | None:
    """``/avatars/<file>`` when ``url`` is the URL of an avatar stored here, else None (an
    ``avatarUrl`` set through the API to another site is not shown by the pages)."""
    if not url or ROUTE not in url:
        return None
    name = url.rsplit("/", 1)[-1]
    return ROUTE + name if FILE_NAME.match(name) else None


def square_png(data: bytes) -> bytes:
    """``data`` (an image) upright, cropped to a centred square, :data:`SIZE` pixels wide, as
    PNG bytes; BadRequest when it is too large, not an image, or not a supported format."""
    if len(data) > MAX_UPLOAD_BYTES:
        raise BadRequest(TOO_LARGE)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as probe:
                if probe.format not in FORMATS:
                    raise BadRequest(NOT_AN_IMAGE)
                width, height = probe.size
                if width * height > MAX_PIXELS:
                    raise BadRequest(TOO_MANY_PIXELS)
                probe.verify()
            with Image.open(io.BytesIO(data)) as image:
                image.load()
                upright = ImageOps.exif_transpose(image)
                mode = (
                    "RGBA" if "A" in upright.getbands() or "transparency" in upright.info else "RGB"
                )
                square = ImageOps.fit(upright.convert(mode), (SIZE, SIZE), Image.Resampling.LANCZOS)
    except (UnidentifiedImageError, Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise BadRequest(NOT_AN_IMAGE) from None
    except (OSError, SyntaxError, ValueError) as exc:  # truncated or corrupt data
        raise BadRequest(NOT_AN_IMAGE) from exc
    out = io.BytesIO()
    square.save(out, format="PNG", optimize=True)
    return out.getvalue()


def _own_file(user: User) -> Path | None:
    """The avatar file ``user.avatar_url`` names, when it is one of ours and theirs."""
    url = user.avatar_url or ""
    if ROUTE not in url:
        return None
    name = url.rsplit("/", 1)[-1]
    if not FILE_NAME.match(name) or not name.startswith(f"{user.id}-"):
        return None
    return avatar_dir() / name


def _delete_after_commit(session: AsyncSession, path: Path) -> None:
    """Delete ``path`` once the transaction commits (kept when it rolls back, so the URL the
    user still has keeps working)."""

    def delete(_: Any) -> None:
        path.unlink(missing_ok=True)

    event.listen(session.sync_session, "after_commit", delete, once=True)


async def set_avatar(session: AsyncSession, user: User, data: bytes, base_url: str) -> str:
    """Store ``data`` as ``user``'s avatar (see the module docstring) and set
    ``user.avatar_url`` to its public URL; returns the URL. BadRequest for a refused image."""
    png = square_png(data)
    name = f"{user.id}-{hashlib.sha256(png).hexdigest()[:16]}.png"
    folder = avatar_dir()
    temporary = folder / f".{name}.{os.getpid()}.tmp"
    temporary.write_bytes(png)
    os.replace(temporary, folder / name)
    previous = _own_file(user)
    user.avatar_url = f"{base_url}{ROUTE}{name}"
    await session.flush()
    if previous is not None and previous.name != name:
        _delete_after_commit(session, previous)
    return user.avatar_url


async def remove_avatar(session: AsyncSession, user: User) -> None:
    """Clear ``user``'s avatar (its stored file is deleted)."""
    previous = _own_file(user)
    user.avatar_url = None
    await session.flush()
    if previous is not None:
        _delete_after_commit(session, previous)
