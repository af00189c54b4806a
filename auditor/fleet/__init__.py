"""Many offices at once: the roll-up a powiat, a shared-service centre or a CSIRT reads."""
