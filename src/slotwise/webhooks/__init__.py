"""Webhooks: subscriptions (CRUD as Cal.com API v2), booking events → signed, templated,
retried deliveries through the jobs engine, URL safety, and a delivery log (docs/webhooks.md)."""
