from pledge.frame.seeding import demo_seeder

from .services import policy_publish


@demo_seeder(order=0)
def publish_policy() -> str:
    record, created = policy_publish()
    return f"policy {record.version} {'published' if created else 'already published'}"
