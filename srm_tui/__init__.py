"""srm: interview an organisation about its cloud use; produce a responsibility checklist."""

__version__ = "1.0.0"
