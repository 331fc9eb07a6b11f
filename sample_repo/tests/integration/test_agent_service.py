"""Integration tests for the agent service (patches the old import path)."""
from unittest import mock

from app.services.agent_service import AgentService


def test_run_uses_factory(context):
    with mock.patch("app.core.managers.execution_engine_factory.ExecutionEngineFactory") as factory:
        AgentService()
        factory.assert_called_once()
