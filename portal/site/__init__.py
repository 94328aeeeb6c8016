"""Pages for everyone: the start page, the health check, accessibility and privacy."""
