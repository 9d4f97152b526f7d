"""Layer 6 — configs, studies and the run that writes results atomically."""
