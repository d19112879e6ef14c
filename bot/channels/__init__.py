"""Rasa input channels of the guide (configured in ``credentials.yml``)."""
