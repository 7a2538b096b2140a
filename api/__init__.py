"""The partner HTTP API (FastAPI): a thin layer over the ``planner`` library.

``api.main.create_app(settings)`` builds the app; ``planner serve`` runs it with uvicorn and
``planner token`` manages its bearer tokens. See the README's "Partner API" section.
"""
