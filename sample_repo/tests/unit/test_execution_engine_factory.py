"""Unit tests for the canonical factory."""
from app.agents.supervisor.execution_engine_factory import ExecutionEngineFactory


def test_creates_engine(context):
    engine = ExecutionEngineFactory().create_for_user(context)
    assert engine.context is context
