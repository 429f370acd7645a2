"""Calendar events, unit tasks and their completions."""
