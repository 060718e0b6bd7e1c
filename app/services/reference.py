"""Registers the reference-data loaders that ship with the service."""
