"""Messages to families: the outbox, the worker that sends it, providers, and wording."""
