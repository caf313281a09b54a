"""Back office: the partner outbox, where staff see what went (or would go) to partners.

In the demo the sandbox's messages stay here, marked delivered to the sandbox. The list shows
who, what kind, which order and which data categories, never the values.
"""

from django.shortcuts import render
from django.views.decorators.cache import never_cache

from pledge.backoffice.screens import screen_required
from pledge.backoffice.security import staff_required

from ..selectors import outbox_overview


@never_cache
@staff_required
@screen_required("partner_outbox")
def outbox_list(request):
    return render(request, "partners/outbox.html", {"messages_sent": outbox_overview()})
