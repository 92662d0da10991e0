from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from brands.models import Brand


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    return render(request, "contact/index.html", {"brands": Brand.objects.active()})
