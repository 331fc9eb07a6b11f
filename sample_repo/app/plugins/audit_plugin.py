"""Audit plugin, loaded with a relative importlib call."""
import logging

log = logging.getLogger("audit")
