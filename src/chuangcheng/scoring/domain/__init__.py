"""Scoring logic: the score tree, evidence providers, runs and their reading."""
