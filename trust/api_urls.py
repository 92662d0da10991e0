from __future__ import annotations

from django.urls import path

from . import views

app_name = "trust_api"
urlpatterns = [
    path("verify", views.api_verify, name="verify"),
]
