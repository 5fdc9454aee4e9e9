"""Alembic migrations, applied by :mod:`slotwise.kit.migrate`."""
