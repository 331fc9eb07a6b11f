"""Metrics plugin (app.plugins is a namespace package: no __init__.py)."""
from app.core.config import settings

ENABLED = settings.app_name != ""
