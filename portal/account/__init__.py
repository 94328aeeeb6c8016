"""The signed-in person's own account: password, second factor, recovery codes, sessions."""
