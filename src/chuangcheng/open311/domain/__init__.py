"""Open311 business logic: issuing and revoking keys, and turning a client's service request
into a case. Each function checks, writes and audits in one transaction."""
