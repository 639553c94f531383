"""Encrypt a finished site, prove it leaks nothing: envelope, protect, verify, readers."""
