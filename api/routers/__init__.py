"""One router per resource, with their shared FastAPI dependencies (``deps``); each is a thin layer
over the api services and the planner library."""
