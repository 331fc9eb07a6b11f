"""Shared pytest fixtures."""
import pytest

from app.core.user_execution_context import UserExecutionContext


@pytest.fixture
def context() -> UserExecutionContext:
    return UserExecutionContext(user_id="u1", thread_id="t1", run_id="r1")
