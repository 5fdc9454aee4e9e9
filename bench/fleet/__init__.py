"""The fleet bench's pieces (``bench/fleet_bench.py`` is the command): infra (PostgreSQL,
Redis, the processes), seed, load, audit and run."""
