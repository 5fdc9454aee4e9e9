"""Public booking pages served by the API process: ``/{username}``, the Booker at
``/{username}/{eventSlug}`` (and ``/d/{linkId}/{eventSlug}`` for private links), team pages
(``/team/{teamSlug}``, ``/team/{teamSlug}/{eventSlug}``), dynamic groups
(``/{user1}+{user2}``, ``/{user1}+{user2}/{slug}``), and ``/booking/{uid}`` (view, cancel,
reschedule).

Server-rendered with Jinja2; a few KB of vanilla JavaScript (``static/booker.js``) enhance
them (browser time zone, month changes without reloads, keyboard calendar, embed events).
See docs/pages.md.
"""

from fastapi import APIRouter

from slotwise.pages import booking_page, group, private_link, routes, team

router = APIRouter(include_in_schema=False)
router.include_router(routes.router)
router.include_router(booking_page.router)
router.include_router(private_link.router)
router.include_router(team.router)
router.include_router(group.router)

__all__ = ["router"]
