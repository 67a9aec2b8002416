"""The benchmark (`make bench`): a seeded large dataset served by gunicorn and driven by wrk."""
