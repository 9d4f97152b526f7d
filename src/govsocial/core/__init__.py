"""Layer 0 — what every stage shares: exceptions, the posts schema, parameter checks and seeds,
provenance and manifests, personal-information detectors, the account-cluster bootstrap."""
