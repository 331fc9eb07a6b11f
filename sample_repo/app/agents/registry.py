"""Agent registry.

Defines its own ExecutionEngineFactory: a *different* class that builds
registry entries, not execution engines. Same name, different meaning.
"""
from dataclasses import dataclass, field


@dataclass
class RegistryEntry:
    name: str
    tags: list = field(default_factory=list)


class ExecutionEngineFactory:
    """Builds registry entries for agents (unrelated to the supervisor's factory)."""

    def build(self, name: str) -> RegistryEntry:
        return RegistryEntry(name=name)
