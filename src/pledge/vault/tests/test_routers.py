from pledge.vault.models import Subject
from pledge.vault.routers import VaultRouter

from .models import Customer


def test_vault_tables_go_only_to_the_vault_and_all_others_stay_out_of_it():
    router = VaultRouter()
    assert router.db_for_read(Subject) == router.db_for_write(Subject) == "vault"
    assert router.db_for_read(Customer) is None  # Django's default database
    assert router.allow_migrate("vault", "vault") is True
    assert router.allow_migrate("default", "vault") is False
    assert router.allow_migrate("vault", "accounts") is False
    assert router.allow_migrate("vault", "contenttypes") is False
    assert router.allow_migrate("default", "accounts") is True


def test_no_relation_crosses_the_two_databases():
    router = VaultRouter()
    assert router.allow_relation(Subject(), Customer()) is False
    assert router.allow_relation(Subject(), Subject()) is None


def test_relations_with_the_lazy_request_user_are_judged_by_its_real_class():
    from django.utils.functional import SimpleLazyObject

    from pledge.accounts.models import User

    router = VaultRouter()
    lazy_user = SimpleLazyObject(lambda: User(username="jansen"))
    assert router.allow_relation(lazy_user, User(username="devries")) is None
