"""Unit tests for the session manager."""
from app.core.managers.session_manager import SessionManager


def test_open_returns_context():
    assert SessionManager().open("u1").user_id == "u1"
