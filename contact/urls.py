from __future__ import annotations

from django.urls import path

from . import views

app_name = "contact"
urlpatterns = [
    path("", views.index, name="index"),
    path("message/", views.message_create, name="message_create"),
    path("message/sent/", views.message_sent, name="message_sent"),
    path("message/check/", views.sensitive_check, name="sensitive_check"),
    path("status/", views.status_lookup, name="status_lookup"),
    path("status/<str:reference>/", views.status_detail, name="status_detail"),
    path("status/<str:reference>/reply/", views.status_followup, name="status_followup"),
    path("status/<str:reference>/rate/", views.status_rate, name="status_rate"),
    path("status/<str:reference>/<str:token>/", views.status_link, name="status_link"),
    path("attachments/<int:pk>/", views.attachment_detail, name="attachment"),
    # Last, so the fixed paths above win over a brand slug.
    path("<slug:brand_slug>/", views.brand_detail, name="brand_detail"),
]
