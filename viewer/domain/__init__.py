"""The evidence and its arithmetic: plain Python, no Qt (proven by import-linter)."""
