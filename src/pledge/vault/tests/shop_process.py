"""Run ``scenario.py`` in a child process against SQLite files in a temporary directory.

The in-process test databases are in memory (SQLite) or on a server (PostgreSQL); tests about
what lies in the database *files*, and about restoring older copies of them, need real files.
"""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

KEY_VARIABLES = ("PLEDGE_MASTER_KEY", "PLEDGE_BLIND_INDEX_KEY", "PLEDGE_SUPPRESSION_KEY")


class ShopProcess:
    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.main = directory / "pledge.sqlite3"
        self.vault = directory / "vault.sqlite3"
        self.tombstones = directory / "tombstones.jsonl"
        self.env = {
            name: value
            for name, value in os.environ.items()
            if name not in KEY_VARIABLES and not name.startswith(("DATABASE_URL", "VAULT_"))
        }
        self.env.update(
            PLEDGE_ENV="test",
            PLEDGE_VAR_DIR=str(directory),
            DATABASE_URL=f"sqlite:///{self.main}",
            VAULT_DATABASE_URL=f"sqlite:///{self.vault}",
            PLEDGE_TOMBSTONE_PATH=str(self.tombstones),
        )
        self.env.pop("SCENARIO_HOLD", None)

    def _command(self, command: str, argument: dict | None) -> list[str]:
        return [
            sys.executable,
            "-m",
            "pledge.vault.tests.scenario",
            command,
            json.dumps(argument or {}),
        ]

    def run(self, command: str, argument: dict | None = None) -> dict:
        done = subprocess.run(
            self._command(command, argument),
            env=self.env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        return json.loads(done.stdout.splitlines()[-1])

    def hold(self, command: str, argument: dict | None = None) -> "HeldProcess":
        process = subprocess.Popen(
            self._command(command, argument),
            env={**self.env, "SCENARIO_HOLD": "1"},
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        return HeldProcess(process)

    def database_bytes(self) -> dict[str, bytes]:
        """Every file of both databases, including SQLite's -wal and -shm files."""
        return {
            path.name: path.read_bytes()
            for path in self.directory.iterdir()
            if path.name.startswith(("pledge.sqlite3", "vault.sqlite3"))
        }

    def backup(self, name: str) -> Path:
        target = self.directory / name
        target.mkdir()
        for path in self.directory.iterdir():
            if path.is_file() and path.name.startswith(("pledge.sqlite3", "vault.sqlite3")):
                shutil.copy2(path, target / path.name)
        return target

    def restore(self, backup: Path) -> None:
        for path in self.directory.iterdir():
            if path.is_file() and path.name.startswith(("pledge.sqlite3", "vault.sqlite3")):
                path.unlink()
        for path in backup.iterdir():
            shutil.copy2(path, self.directory / path.name)


class HeldProcess:
    """A child that answered and keeps its connections open until ``finish()``."""

    def __init__(self, process: subprocess.Popen) -> None:
        self.process = process
        line = process.stdout.readline()
        if not line:
            raise AssertionError(process.stderr.read())
        self.answer = json.loads(line)

    def finish(self) -> None:
        self.process.communicate("\n", timeout=60)
        assert self.process.returncode == 0
