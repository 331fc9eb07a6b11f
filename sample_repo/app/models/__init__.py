"""Persistence models."""
from .thread import Thread
from .user import User

__all__ = ["Thread", "User"]
