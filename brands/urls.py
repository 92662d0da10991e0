from __future__ import annotations

from django.urls import path

from . import views

app_name = "brands"
urlpatterns = [path("brands.css", views.theme_css, name="theme_css")]
