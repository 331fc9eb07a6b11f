"""Formatting helpers (this package shadows app/utils/formatting.py)."""


def format_name(name: str) -> str:
    return name.strip().title()
