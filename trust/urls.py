from __future__ import annotations

from django.urls import path

from . import views

app_name = "trust"
urlpatterns = [
    path("verify/", views.verify, name="verify"),
    path("verify/report/", views.report_create, name="report_create"),
    path("verify/report/sent/", views.report_sent, name="report_sent"),
    path("verify/report/<int:pk>/screenshot/", views.report_screenshot, name="report_screenshot"),
    path("warnings/", views.warnings_list, name="warnings"),
]
