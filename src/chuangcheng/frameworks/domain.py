"""State changes of frameworks: each function checks, writes and audits in one transaction."""
