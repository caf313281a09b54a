"""The back office's access-denied page: a 403 inside the back-office frame."""

from django.shortcuts import render


def access_denied(request):
    return render(request, "backoffice/denied.html", status=403)
