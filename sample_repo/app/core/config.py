"""Settings loaded from the environment."""
import os
from dataclasses import dataclass


@dataclass(frozen=True)
class Settings:
    app_name: str = os.environ.get("APP_NAME", "backend")
    database_url: str = os.environ.get("DATABASE_URL", "sqlite://")


settings = Settings()
