"""Staff sign-in, roles and the access policy."""
