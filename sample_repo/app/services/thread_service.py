"""Thread bookkeeping; imports agent_service back (an import cycle)."""
from app.services import agent_service

_touched: set = set()


def touch(thread_id: str) -> None:
    _touched.add(thread_id)


def default_service():
    return agent_service.AgentService()
