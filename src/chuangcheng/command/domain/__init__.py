"""Read models and state changes of the command centre (map, trends, key areas)."""
