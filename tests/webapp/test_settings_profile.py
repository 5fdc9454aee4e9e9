"""Settings pages of the web app: profile (with the avatar), general and appearance."""

from __future__ import annotations

import io
import os
from typing import Any

import httpx2
from PIL import Image

from tests.conftest import Host
from tests.webapp.conftest import app_get, app_post, csrf_of


async def me(client: httpx2.AsyncClient, host: Host) -> dict[str, Any]:
    answer = await client.get("/v2/me", headers=host.headers)
    assert answer.status_code == 200
    return dict(answer.json()["data"])


async def test_profile_saves_name_username_and_bio(
    app_client: httpx2.AsyncClient, host: Host
) -> None:
    page = await app_get(app_client, "/app/settings/profile")
    assert 'class="settings-layout"' in page.text and 'class="settings-nav"' in page.text
    answer = await app_post(
        app_client,
        "/app/settings/profile",
        "/app/settings/profile",
        {"name": "Alice A.", "username": "alice2", "bio": "Hello there"},
    )
    assert answer.status_code == 303, answer.text
    assert answer.headers["location"] == "/app/settings/profile?flash=saved"
    data = await me(app_client, host)
    assert (data["name"], data["username"], data["bio"]) == ("Alice A.", "alice2", "Hello there")


async def test_profile_refusals_are_shown_beside_the_field(
    app_client: httpx2.AsyncClient, host: Host, other_host: Host
) -> None:
    for username, message in (
        ("bob", "Username &#39;bob&#39; is already taken"),
        ("avatars", "is reserved"),
        ("Not Valid!", "is invalid"),
    ):
        answer = await app_post(
            app_client,
            "/app/settings/profile",
            "/app/settings/profile",
            {"name": "Alice", "username": username, "bio": ""},
        )
        assert answer.status_code == 400
        assert 'id="f-username-error"' in answer.text and message in answer.text
    empty = await app_post(
        app_client, "/app/settings/profile", "/app/settings/profile",
        {"name": "", "username": "alice", "bio": "x"},
    )  # fmt: skip
    assert empty.status_code == 400 and 'id="f-name-error"' in empty.text
    data = await me(app_client, host)
    assert (data["username"], data["name"], data["bio"]) == ("alice", "alice", None)


async def test_profile_without_csrf_is_refused(app_client: httpx2.AsyncClient, host: Host) -> None:
    answer = await app_client.post(
        "/app/settings/profile",
        data={"name": "Mallory", "username": "mallory", "bio": "", "csrf_token": "forged"},
    )
    assert answer.status_code == 403
    assert (await me(app_client, host))["username"] == "alice"


def png(width: int, height: int, padding: int = 0) -> bytes:
    image = Image.new("RGB", (width, height), (200, 30, 30))
    out = io.BytesIO()
    image.save(out, format="PNG", pnginfo=None)
    data = out.getvalue()
    if padding:  # a valid PNG grown by an ancillary chunk of random bytes
        import struct
        import zlib

        chunk = os.urandom(padding)
        body = b"zzTx" + chunk
        extra = struct.pack(">I", len(chunk)) + body + struct.pack(">I", zlib.crc32(body))
        data = data[:-12] + extra + data[-12:]
    return data


async def upload(client: httpx2.AsyncClient, data: bytes, name: str = "me.png") -> httpx2.Response:
    page = await app_get(client, "/app/settings/profile")
    return await client.post(
        "/app/settings/profile/avatar",
        data={"csrf_token": csrf_of(page.text)},
        files={"avatar": (name, data, "image/png")},
    )


async def test_avatar_is_resized_stored_and_served(
    app_client: httpx2.AsyncClient, host: Host
) -> None:
    answer = await upload(app_client, png(800, 500))
    assert answer.status_code == 303, answer.text
    url = (await me(app_client, host))["avatarUrl"]
    assert url.startswith("http://slotwise.test/avatars/") and url.endswith(".png")
    served = await app_client.get(url.removeprefix("http://slotwise.test"))
    assert served.status_code == 200 and served.headers["content-type"] == "image/png"
    assert Image.open(io.BytesIO(served.content)).size == (256, 256)
    assert (await app_client.get("/avatars/..%2Fslotwise.db")).status_code == 404
    page = await app_get(app_client, "/app/settings/profile")
    assert url in page.text
    path = url.removeprefix("http://slotwise.test")
    public = await app_client.get("/alice")
    assert f'<img src="{path}"' in public.text  # the public profile shows it
    removed = await app_post(
        app_client, "/app/settings/profile", "/app/settings/profile/avatar/remove", {}
    )
    assert removed.status_code == 303
    assert (await me(app_client, host))["avatarUrl"] is None
    assert (await app_client.get(url.removeprefix("http://slotwise.test"))).status_code == 404


async def test_avatar_of_5_mb_is_accepted_and_6_mb_refused(
    app_client: httpx2.AsyncClient, host: Host
) -> None:
    big = png(300, 300, padding=5 * 1024 * 1024 - 2000)
    assert len(big) <= 5 * 1024 * 1024
    answer = await upload(app_client, big)
    assert answer.status_code == 303, answer.text[:300]
    first = (await me(app_client, host))["avatarUrl"]
    too_big = await upload(app_client, png(300, 300, padding=6 * 1024 * 1024))
    assert too_big.status_code == 413
    assert "larger than 5 MB" in too_big.text and 'id="f-avatar-error"' in too_big.text
    assert (await me(app_client, host))["avatarUrl"] == first


async def test_avatar_must_be_an_image(app_client: httpx2.AsyncClient, host: Host) -> None:
    answer = await upload(app_client, b"%PDF-1.4 not an image", "doc.png")
    assert answer.status_code == 400 and "not an image" in answer.text
    forged = await app_client.post(
        "/app/settings/profile/avatar",
        data={"csrf_token": "forged"},
        files={"avatar": ("me.png", png(10, 10), "image/png")},
    )
    assert forged.status_code == 403
    assert (await me(app_client, host))["avatarUrl"] is None


async def test_general_settings(app_client: httpx2.AsyncClient, host: Host) -> None:
    page = await app_get(app_client, "/app/settings/general")
    assert "Europe/Berlin" in page.text
    answer = await app_post(
        app_client,
        "/app/settings/general",
        "/app/settings/general",
        {"timeZone": "Europe/Berlin", "weekStart": "Monday", "timeFormat": "24", "locale": "de"},
    )
    assert answer.status_code == 303
    data = await me(app_client, host)
    assert (data["timeZone"], data["weekStart"], data["timeFormat"], data["locale"]) == (
        "Europe/Berlin", "Monday", 24, "de",
    )  # fmt: skip
    bad = await app_post(
        app_client,
        "/app/settings/general",
        "/app/settings/general",
        {"timeZone": "Mars/Base", "weekStart": "Monday", "timeFormat": "24", "locale": "de"},
    )
    assert bad.status_code == 400 and 'id="f-timeZone-error"' in bad.text
    forged = await app_client.post(
        "/app/settings/general",
        data={"timeZone": "UTC", "weekStart": "Sunday", "timeFormat": "12", "locale": "en"},
    )
    assert forged.status_code == 403
    assert (await me(app_client, host))["timeZone"] == "Europe/Berlin"


async def test_appearance_is_used_by_the_public_pages(
    app_client: httpx2.AsyncClient, host: Host
) -> None:
    answer = await app_post(
        app_client,
        "/app/settings/appearance",
        "/app/settings/appearance",
        {"theme": "dark", "brandColor": "#0A7", "darkBrandColor": "#123456"},
    )
    assert answer.status_code == 303
    metadata = (await me(app_client, host))["metadata"]
    assert metadata == {"theme": "dark", "brandColor": "#00aa77", "darkBrandColor": "#123456"}
    public = await app_client.get("/alice")
    assert public.status_code == 200
    assert 'data-theme="dark"' in public.text and "#00aa77" in public.text
    bad = await app_post(
        app_client,
        "/app/settings/appearance",
        "/app/settings/appearance",
        {"theme": "light", "brandColor": "red;}", "darkBrandColor": "#123456"},
    )
    assert bad.status_code == 400 and 'id="f-brandColor-error"' in bad.text
    forged = await app_client.post(
        "/app/settings/appearance",
        data={"theme": "light", "brandColor": "#000000", "darkBrandColor": "#000000"},
    )
    assert forged.status_code == 403
    assert (await me(app_client, host))["metadata"]["theme"] == "dark"
