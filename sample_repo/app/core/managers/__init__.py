"""Managers: several are compatibility shims kept for old import paths."""
