"""Email notifications for bookings: messages (Jinja2 templates, gettext catalogs, an iCalendar
attachment), signed confirm/decline links for hosts, and SMTP or outbox delivery.

Modules: :mod:`.i18n` (languages and localized dates), :mod:`.messages` (building messages),
:mod:`.tokens` (signed links and the server's secret key), :mod:`.transport` (sending),
:mod:`.endpoints` (the pages the signed links open).
"""
