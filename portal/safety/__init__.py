"""Safety alerts: one mechanism for "someone may be in danger now", whoever says it."""
