"""URLs of the web app that several modules build."""

from __future__ import annotations

from urllib.parse import quote, urlsplit

HOME = "/app/event-types"
"""Where a logged-in host lands (Cal.com opens on the event types)."""


def safe_next(target: str | None) -> str:
    """``target`` when it is a path inside the app (``/app…``, no scheme, no host, no ``//``),
    else :data:`HOME`: the login form never redirects off-site."""
    if not target or not target.startswith("/app") or target.startswith("//"):
        return HOME
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or "\\" in target:
        return HOME
    return target


def login_url(next_path: str | None = None) -> str:
    """The login page, coming back to ``next_path`` (an app path) afterwards."""
    if not next_path or safe_next(next_path) == HOME:
        return "/app/login"
    return "/app/login?next=" + quote(next_path, safe="/")
