"""Safe schema evolution: the pieces that migrations/env.py and the CLI stand on."""
