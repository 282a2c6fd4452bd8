"""Screens of the coding workspace."""
