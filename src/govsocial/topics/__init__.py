"""Layer 3 — topic models behind one estimator interface, their evaluation, the choice of K,
and topic tables."""
