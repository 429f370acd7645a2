"""创城 — command and decision platform for civilized-city campaigns."""

__version__ = "0.1.0"
