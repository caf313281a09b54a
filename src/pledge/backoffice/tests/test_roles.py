"""Staff roles are the policy's roles: groups and purpose permissions follow the policy file."""

import io

import pytest
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command

from pledge.backoffice.selectors import delivery_address_visible, visible_categories
from pledge.backoffice.services import roles_sync
from pledge.backoffice.tests.factories import staff_create
from pledge.policy.selectors import current_policy, policy_reload

pytestmark = pytest.mark.django_db(databases=["default", "vault"])


def group_purposes(name: str) -> set[str]:
    codenames = Group.objects.get(name=name).permissions.values_list("codename", flat=True)
    return {codename.removeprefix("purpose_") for codename in codenames}


def test_groups_match_the_policy_roles_after_migrate():
    policy = current_policy()
    assert set(Group.objects.values_list("name", flat=True)) >= {role.id for role in policy.roles}
    for role in policy.roles:
        assert group_purposes(role.id) == set(role.purposes)


def test_role_purposes_are_django_permissions():
    staff = staff_create(roles=("fulfilment",))
    assert staff.has_perm("backoffice.purpose_order_fulfilment")
    assert not staff.has_perm("backoffice.purpose_newsletter")


def test_syncing_twice_changes_nothing():
    before = {group.name: group_purposes(group.name) for group in Group.objects.all()}
    roles_sync()
    roles_sync()
    assert {group.name: group_purposes(group.name) for group in Group.objects.all()} == before


@pytest.fixture
def changed_policy(settings, tmp_path):
    """The Pixeljet policy with marketing losing "reviews" and the administrator role gone."""
    original = settings.PLEDGE_POLICY
    with open(original, encoding="utf-8") as policy_file:
        text = policy_file.read()
    text = text.replace(
        'purposes = ["newsletter", "statistics", "reviews"]',
        'purposes = ["newsletter", "statistics"]',
    )
    start = text.index('[[roles]]\nid = "administrator"')
    end = text.index("\n\n", start)
    text = text[:start] + text[end + 2 :]
    path = tmp_path / "changed.toml"
    path.write_text(text, encoding="utf-8")
    settings.PLEDGE_POLICY = str(path)
    yield policy_reload()
    # Back to the real policy before pytest-django restores the setting.
    settings.PLEDGE_POLICY = original
    policy_reload()


def test_groups_follow_a_changed_policy_without_a_migration(changed_policy):
    marketer = staff_create(roles=("marketing",))
    assert marketer.has_perm("backoffice.purpose_reviews")
    roles_sync()
    assert group_purposes("marketing") == {"newsletter", "statistics"}
    assert not Group.objects.filter(name="administrator").exists()
    marketer = type(marketer).objects.get(pk=marketer.pk)  # permissions are cached per object
    assert not marketer.has_perm("backoffice.purpose_reviews")
    assert marketer.has_perm("backoffice.purpose_newsletter")


def test_fulfilment_may_see_a_delivery_address_of_an_open_order_only():
    fulfilment = staff_create(roles=("fulfilment",))
    assert delivery_address_visible(user=fulfilment, order_is_open=True)
    assert not delivery_address_visible(user=fulfilment, order_is_open=False)


def test_marketing_and_support_never_see_a_delivery_address():
    for role in ("marketing", "support"):
        staff = staff_create(roles=(role,))
        assert not delivery_address_visible(user=staff, order_is_open=True)


def test_what_a_role_sees_is_what_both_role_and_purpose_cover():
    support = staff_create(roles=("support",))
    assert visible_categories(user=support, purpose_id="order_fulfilment") == {
        "user.name.first",
        "user.name.last",
        "user.contact.email",
        "user.contact.phone_number",
        "user.behavior.purchase_history",
    }
    assert visible_categories(user=support, purpose_id="newsletter") == frozenset()


def test_roles_are_given_from_the_command_line():
    staff = staff_create(roles=("support",))
    out = io.StringIO()
    call_command("staff_roles", staff.username, "fulfilment", "marketing", stdout=out)
    assert out.getvalue().strip() == "fulfilment, marketing"
    assert not staff.has_perm("backoffice.purpose_account")  # support's purpose is gone
    staff = type(staff).objects.get(pk=staff.pk)
    assert staff.has_perm("backoffice.purpose_order_fulfilment")
    with pytest.raises(CommandError, match="Not a role in the policy: boss"):
        call_command("staff_roles", staff.username, "boss")
