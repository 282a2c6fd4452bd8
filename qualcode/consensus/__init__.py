"""Consensus of two coders: the walk through their disagreements (``walk``) and the
consensus coding set it writes and keeps in step (``coding_set``).
"""
