"""Layer 1 — data in: the reader registry (platform exports → posts + rejects), the account
registry, and the synthetic corpus generator with its planted truth."""
