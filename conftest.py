"""Test set-up shared by every app: runs on SQLite (default) and PostgreSQL (DATABASE_URL)."""

import os

os.environ.setdefault("PLEDGE_ENV", "test")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pledge.settings")
