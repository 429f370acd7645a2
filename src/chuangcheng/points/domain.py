"""State changes of points: each function checks, writes and audits in one transaction."""
