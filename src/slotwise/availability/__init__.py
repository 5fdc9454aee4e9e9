"""The one answer to "is this host busy?", for slot listing, bookings, reservations and
confirmations.

:mod:`.inputs` turns stored settings into engine inputs (event rules, schedules, user booking
limits, the limit window); :mod:`.loader` reads everything that makes hosts busy in one
statement (:func:`~.loader.load_busy`) and builds the engine's ``HostInput`` per host
(:func:`~.loader.load_hosts`); :mod:`.checks` answers the reservation and confirmation
questions from those rows. The pure engine (:mod:`slotwise.scheduling`) decides.
"""
