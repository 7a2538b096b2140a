"""Explanations: why a request is unmet, which sessions nearly opened, what no plan can serve.

:mod:`~planner.explain.diagnostics` reads a scenario before any solve; :mod:`~planner.explain.unmet`
reads a plan; :mod:`~planner.explain.relaxation` re-solves with rule families relaxed (it needs a
solver backend, handed in by the caller).
"""
