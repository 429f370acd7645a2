"""Warning rules, warnings and their deliveries."""
