"""Database access."""
