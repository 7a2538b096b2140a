"""HTTP API for funders, members and the coordinator (FastAPI); built in a later issue."""
