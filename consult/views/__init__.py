"""Pages of the consult app, split by topic."""
