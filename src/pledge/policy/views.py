from django.shortcuts import render


def privacy_statement(request):
    return render(request, "policy/privacy_statement.html")


def cookie_statement(request):
    return render(request, "policy/cookie_statement.html")


def officer_contact(request):
    return render(request, "policy/officer_contact.html")
