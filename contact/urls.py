from __future__ import annotations

from django.urls import path, register_converter

from . import views
from .converters import ReferenceConverter, TokenConverter

register_converter(ReferenceConverter, "reference")
register_converter(TokenConverter, "token")

app_name = "contact"
urlpatterns = [
    path("", views.index, name="index"),
    path("message/", views.message_create, name="message_create"),
    path("message/sent/", views.message_sent, name="message_sent"),
    path("message/check/", views.sensitive_check, name="sensitive_check"),
    path("status/", views.status_lookup, name="status_lookup"),
    path("status/<reference:reference>/", views.status_detail, name="status_detail"),
    path("status/<reference:reference>/reply/", views.status_followup, name="status_followup"),
    path("status/<reference:reference>/rate/", views.status_rate, name="status_rate"),
    path("status/<reference:reference>/<token:token>/", views.status_link, name="status_link"),
    path("attachments/<int:pk>/", views.attachment_detail, name="attachment"),
    # Last, so the fixed paths above win over a brand slug.
    path("<slug:brand_slug>/", views.brand_detail, name="brand_detail"),
]
