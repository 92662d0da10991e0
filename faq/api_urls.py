from __future__ import annotations

from django.urls import path

from . import api

app_name = "api"
urlpatterns = [
    path("search", api.search, name="search"),
    path("articles/<slug:slug>", api.article_detail, name="article_detail"),
]
