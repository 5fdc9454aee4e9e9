"""Shared plumbing: database sessions, errors and envelope, versioning, auth, time helpers."""
