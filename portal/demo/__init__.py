"""Demo data: one account per role and a quarter of invented conferences.

Everything here is made up. Mobile numbers are in Ofcom's drama range (07700 900xxx) and email
addresses at example.com, so nothing can ever reach a real person.
"""
