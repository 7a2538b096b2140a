"""Heuristic planners: the greedy plan (a coordinator's plan by hand, and the solvers' start)."""
