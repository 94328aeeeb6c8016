"""Children and family members, and the conferences they are part of."""
