"""State changes of orgs: each function checks, writes and audits in one transaction."""
