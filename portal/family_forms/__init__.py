"""The family's own pages, reached through their link: landing, views and feedback forms."""
