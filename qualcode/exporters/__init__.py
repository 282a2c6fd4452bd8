"""Exporters: qualcode data out to files other tools read."""
