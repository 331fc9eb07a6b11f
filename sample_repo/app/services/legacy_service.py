"""Legacy service: still points at modules and names that were removed."""
try:
    import ujson as json
except ImportError:
    import json

from app.core.managers.legacy_engine import LegacyEngine
from app.agents.supervisor.execution_engine_factory import ExecutionEngineFactoryV2


def dump(engine: LegacyEngine) -> str:
    return json.dumps({"engine": repr(engine), "factory": ExecutionEngineFactoryV2.__name__})
