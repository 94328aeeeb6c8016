"""The audit trail: who saw or changed which record, and when."""
