"""Layer 4 — the research measures, tables in and tables out: themes (what each post is for),
engagement, conversation and responsiveness, perception and risks."""
