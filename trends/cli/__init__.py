"""The command line: python -m trends."""
