"""Core services shared by every layer."""
