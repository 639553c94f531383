"""Portico: password-protected client portals for fractional CTOs."""

__version__ = "0.1.0"
DISTRIBUTION = "portico-cto"
"""The name Portico is published under on PyPI (the command and the package are `portico`)."""
