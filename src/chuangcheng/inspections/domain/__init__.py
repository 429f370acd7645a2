"""Business logic of inspection rounds: the draw, assignment, and turning findings into cases."""
