"""Parsing Open311 parameters and writing the spec's JSON and XML."""
