"""Pure helpers of the bill runs (``server.services.billruns``) and the adapters to their inputs."""
