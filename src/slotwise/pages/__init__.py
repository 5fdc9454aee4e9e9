"""Public booking pages served by the API process: ``/{username}``, the Booker at
``/{username}/{eventSlug}`` (and ``/d/{linkId}/{eventSlug}`` for private links), and
``/booking/{uid}`` (view, cancel, reschedule).

Server-rendered with Jinja2; a few KB of vanilla JavaScript (``static/booker.js``) enhance
them (browser time zone, month changes without reloads, keyboard calendar, embed events).
See docs/pages.md.
"""

from fastapi import APIRouter

from slotwise.pages import booking_page, private_link, routes

router = APIRouter(include_in_schema=False)
router.include_router(routes.router)
router.include_router(booking_page.router)
router.include_router(private_link.router)

__all__ = ["router"]
