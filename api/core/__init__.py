"""The service's core: settings, database and stored models, tokens and roles, who may see what,
problem details, request limits and the audit log."""
