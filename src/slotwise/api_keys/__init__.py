"""API keys: issuing, rotating and revoking them (POST /v2/api-keys/refresh). Checking a key
on each request is :mod:`slotwise.kit.auth`'s."""
