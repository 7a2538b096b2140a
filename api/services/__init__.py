"""What the service does, behind the routers: scenarios, surveys, uploads, solve jobs and their
worker, plan views and documents."""
