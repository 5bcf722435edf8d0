"""Bundled scenario files (package data): `dltui list` shows them."""
