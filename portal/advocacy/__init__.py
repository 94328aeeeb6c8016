"""Advocacy: referrals, the advocate's record of a child's wishes and feelings, attachments."""
