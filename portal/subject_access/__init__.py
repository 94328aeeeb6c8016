"""Subject access requests: everything held about one family member, as one readable file."""
