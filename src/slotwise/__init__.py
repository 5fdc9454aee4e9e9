"""Slotwise: an open-source scheduling platform speaking the Cal.com API v2."""

import zoneinfo

# Use the pinned tzdata package, not the OS copy, so every machine computes the same times.
zoneinfo.reset_tzpath([])

__version__ = "0.1.0"
