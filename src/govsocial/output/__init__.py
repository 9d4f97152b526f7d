"""Layer 5 — figures and the self-contained HTML report, made from tables only."""
