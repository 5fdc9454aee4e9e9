"""Credits: /v2/credits/available and /v2/credits/charge; balances granted by the operator."""
