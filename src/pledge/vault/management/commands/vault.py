"""``pledge vault rotate-master-key`` and ``pledge vault replay-erasures``."""

from django.core.management.base import BaseCommand

from pledge.vault import conf
from pledge.vault.services import erasures_replay, master_key_rotate


class Command(BaseCommand):
    help = "Vault maintenance: re-wrap subject keys with the newest master key; replay erasures."

    def add_arguments(self, parser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        actions.add_parser(
            "rotate-master-key",
            help="Re-wrap every subject key with the newest PLEDGE_MASTER_KEY version. Keep the "
            "old version listed until this has finished; then it can be removed.",
        )
        actions.add_parser(
            "replay-erasures",
            help="Shred again every subject in the tombstone log. Run after restoring either "
            "database from a backup; safe to run at any time.",
        )

    def handle(self, *args, action: str, **options) -> None:
        if action == "rotate-master-key":
            count = master_key_rotate()
            version = conf.master_keyring().newest_version
            self.stdout.write(f"Re-wrapped {count} subject keys with master key version {version}.")
        elif action == "replay-erasures":
            count = erasures_replay()
            self.stdout.write(
                f"Replayed the erasure of {count} subjects from {conf.tombstone_path()}."
            )
