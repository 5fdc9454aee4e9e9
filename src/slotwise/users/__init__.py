"""User accounts and API keys (used by the CLI and the demo seed)."""
