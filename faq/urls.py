from __future__ import annotations

from django.urls import path

from . import answer_views, search_views, views

app_name = "faq"
urlpatterns = [
    path("", views.home, name="home"),
    path("search/", search_views.search, name="search"),
    path("search/instant/", search_views.search_instant, name="search_instant"),
    path("search/open/<str:token>/", search_views.search_click, name="search_click"),
    path("search/suggestions/", search_views.suggestions, name="suggestions"),
    path("search/answer/vote/", answer_views.answer_vote, name="answer_vote"),
    path("search/answer/thanks/", answer_views.answer_thanks, name="answer_thanks"),
    path("b/<slug:brand_slug>/", views.brand_detail, name="brand_detail"),
    path("c/<slug:category_slug>/", views.category_detail, name="category_detail"),
    path("a/<slug:slug>/", views.article_detail, name="article_detail"),
    path("a/<slug:slug>/feedback/", views.article_feedback, name="article_feedback"),
]
