"""Thread model."""
from __future__ import annotations

import typing as t

from app.db.session import Base

if t.TYPE_CHECKING:
    from app.models.user import User


class Thread(Base):
    owner: User | None = None
