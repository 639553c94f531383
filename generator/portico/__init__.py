"""Portico: password-protected client portals for fractional CTOs."""

__version__ = "0.1.0"
