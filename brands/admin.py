from __future__ import annotations

from django.contrib import admin

from .models import Brand


@admin.register(Brand)
class BrandAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "time_zone", "order", "is_active"]

    class Media:
        css = {"all": ["css/admin-bilingual.css"]}

    list_editable = ["order", "is_active"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name", "slug"]
    # Chinese and English side by side (helpcenter/localized.py).
    fields = [
        "name",
        "slug",
        ("description", "description_en"),
        "color",
        "time_zone",
        "order",
        "is_active",
    ]
