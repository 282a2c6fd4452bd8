"""Agreement between two coders: the units they are compared on (``units``, over the span
arithmetic in ``spans``), the statistics over those units (``statistics``), and reading the
inputs from a study's store (``inputs``).
"""
