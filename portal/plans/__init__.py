"""Child protection plans and timeliness: plans derived from held conferences, review due
dates, and the initial conference's 15 working days."""
