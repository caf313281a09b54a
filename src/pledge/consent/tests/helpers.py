import re

from django.urls import reverse

from pledge.policy.selectors import current_policy

GA_HOSTS = {f"https://{h}" for h in current_policy().vendor("google_analytics").hosts}
ALL_VENDOR_HOSTS = {f"https://{h}" for v in current_policy().vendors for h in v.hosts}


def csp_hosts(response) -> set[str]:
    return set(re.findall(r"https://[a-z0-9.-]+", response.headers["Content-Security-Policy"]))


def decide(client, choice, *, categories=(), next_url="/", **extra):
    return client.post(
        reverse("consent:decide"),
        {"choice": choice, "categories": list(categories), "next": next_url},
        **extra,
    )
