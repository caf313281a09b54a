from pledge.policy.selectors import current_policy


def site(request):
    """The policy in force, so every template can show the controller and the version."""
    return {"policy": current_policy()}
