"""CPD hour logging for advocates."""
