"""Recording the conference: held, attendance and participation, outcomes, "You said, we did"."""
