"""One router per resource; each is a thin layer over the api services and the planner library."""
