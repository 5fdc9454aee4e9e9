"""The authenticated user's account features: out of office, user booking limits, private
links, API key refresh and credits."""
