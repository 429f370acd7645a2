"""Business logic of cases: intake, the workflow, deadlines. Each state change is one function
that checks, writes, logs the timeline and audits in one transaction."""
