"""User model."""
from app.db.session import Base


class User(Base):
    name: str = ""
