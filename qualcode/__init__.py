"""qualcode: thematic coding of anonymised qualitative interviews."""

__version__ = "0.1.0"
