app_name = "consent_root"
urlpatterns: list = []
