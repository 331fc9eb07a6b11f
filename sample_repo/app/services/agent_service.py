"""Runs agents on behalf of users (still on the old import path)."""
from app.core.managers.execution_engine_factory import ExecutionEngineFactory
from app.services import thread_service


class AgentService:
    def __init__(self) -> None:
        self.factory = ExecutionEngineFactory()

    def run(self, context, request: str) -> str:
        thread_service.touch(context.thread_id)
        return self.factory.create_for_user(context).run(request)
