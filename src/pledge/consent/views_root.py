from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import require_GET

from pledge.policy.selectors import current_policy


@require_GET
def gpc_json(request: HttpRequest) -> JsonResponse:
    """GPC spec §4: we honour the signal; lastUpdate is when the policy saying so took effect."""
    effective = current_policy().policy.effective
    return JsonResponse({"gpc": True, "lastUpdate": effective.isoformat()})
