"""Rules shared by the model, the heuristics, the explanations and the reports (SPEC §2).

Geography and reach (who can attend which venue), meeting days, and what trainees and sessions
cost. The independent checker keeps its own copies on purpose (:mod:`planner.checker`).
"""
