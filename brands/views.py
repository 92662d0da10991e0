from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from .models import Brand


@require_GET
@cache_control(max_age=300, public=True)
def theme_css(request: HttpRequest) -> HttpResponse:
    """Each brand's colour as CSS custom properties, so pages need no inline styles."""
    css = render_to_string("brands/theme.css", {"brands": Brand.objects.active()})
    return HttpResponse(css, content_type="text/css; charset=utf-8")
