from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path

# Dutch is the shop's language and lives at the root; English under /en/. The language is in
# the URL, so switching it needs no cookie.
urlpatterns = i18n_patterns(
    path("", include("pledge.frame.urls")),
    path("", include("pledge.policy.urls")),
    path("account/", include("pledge.accounts.urls")),
    path("backoffice/", include("pledge.backoffice.urls")),
    path("consent/", include("pledge.consent.urls")),
    path("", include("pledge.shop.urls")),
    path("partners/", include("pledge.partners.urls")),
    prefix_default_language=False,
)

# Outside the language prefix: machine endpoints (/.well-known/gpc.json, the statistics beacon).
urlpatterns += [
    path("", include("pledge.consent.urls_root")),
    path("", include("pledge.analytics.urls")),
]

handler400 = "pledge.frame.views.bad_request"
handler403 = "pledge.frame.views.permission_denied"
handler404 = "pledge.frame.views.page_not_found"
handler500 = "pledge.frame.views.server_error"
