"""Runs database migrations. Not importable (dash in the name), but still an importer."""
from app.db.session import DATABASE_URL

if __name__ == "__main__":
    print(f"migrating {DATABASE_URL}")
