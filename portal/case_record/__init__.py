"""The conference's record for the case system: one file, downloaded before retention."""
