"""Archive materials (档案管理): filled in by the archives work (issue 7)."""
