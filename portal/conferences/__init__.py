"""Conferences: setting them up, listing and searching them."""
