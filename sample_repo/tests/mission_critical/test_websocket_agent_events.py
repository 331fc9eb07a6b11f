"""Mission-critical: agent events must reach the browser."""
from unittest.mock import patch

from app.services.execution_service import execute


def test_execute_emits_agent_started():
    with patch("app.agents.supervisor.execution_engine_factory.ExecutionEngineFactory") as factory:
        factory.return_value.create_for_user.return_value.run.return_value = "done"
        assert execute("u1", "hello") == "done"
