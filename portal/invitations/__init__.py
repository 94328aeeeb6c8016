"""Invitations: each person's own link to a form, its schedule, and what happened to it."""
