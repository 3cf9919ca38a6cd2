"""Services of the shell: every write the shell does goes through one of these modules."""
