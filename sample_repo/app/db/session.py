"""Database session and declarative base."""
from sqlalchemy.orm import declarative_base

from app.core.config import settings

Base = declarative_base()
DATABASE_URL = settings.database_url
