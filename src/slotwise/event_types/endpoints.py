"""HTTP endpoints (placeholder until implemented)."""

from slotwise.kit.versioning import versioned_router

router = versioned_router("0000-00-00")
