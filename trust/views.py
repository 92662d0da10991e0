"""The verify page, scam reports, the public warnings page and the verify API."""

from __future__ import annotations

from pathlib import Path

from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods
from django.views.decorators.vary import vary_on_headers

from brands.selectors import brand_from_query
from helpcenter.ratelimits import rate_limit
from helpcenter.request import HtmxHttpRequest
from helpcenter.uploads import open_stored, unavailable_image

from .forms import ScamReportForm, VerifyForm
from .models import ConfirmedScam, ScamAlert, ScamReport
from .selectors import official_cards
from .services import scam_report_create
from .verify import MAX_INPUT_LENGTH, MAX_MESSAGE_LENGTH, verify_text


@require_GET
@vary_on_headers("HX-Request")
def verify(request: HtmxHttpRequest) -> HttpResponse:
    form = VerifyForm(request.GET or None)
    report = verify_text(form.cleaned_data["value"]) if form.is_valid() else None
    result = report.worst if report else None
    context = {
        "form": form,
        "report": report,
        "result": result,
        "cards": official_cards(result) if result else [],
    }
    template_name = "trust/verify.html"
    if request.htmx and not request.htmx.history_restore_request:
        template_name += "#result"
    return render(request, template_name, context)


@never_cache
@vary_on_headers("HX-Request")
@require_http_methods(["GET", "POST"])
@rate_limit("scam-report")
def report_create(request: HtmxHttpRequest) -> HttpResponse:
    if request.method == "POST":
        form = ScamReportForm(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            report = scam_report_create(
                value=data["value"],
                brand=data["brand"],
                seen_where=data["seen_where"],
                description=data["description"],
                screenshot=data["screenshot"],
            )
            sent = {"screenshot_not_stored": report.screenshot_not_stored}
            if request.htmx:
                return render(request, "trust/report_form.html#report-sent", sent)
            request.session["scam_report_sent"] = sent
            return redirect("trust:report_sent")
    else:
        initial = {"value": request.GET.get("value", "")[:MAX_INPUT_LENGTH]}
        brand = brand_from_query(request)
        if brand is not None:
            initial["brand"] = brand
        form = ScamReportForm(initial=initial)
    template_name = "trust/report_form.html"
    if request.htmx and not request.htmx.history_restore_request:
        template_name += "#report-form"
    return render(request, template_name, {"form": form})


@require_GET
def report_sent(request: HttpRequest) -> HttpResponse:
    return render(request, "trust/report_sent.html", request.session.get("scam_report_sent", {}))


SCREENSHOT_TYPES = {".png": "image/png", ".jpg": "image/jpeg", ".webp": "image/webp"}


@require_GET
def report_screenshot(request: HttpRequest, pk: int) -> HttpResponse:
    """A report's screenshot, for staff who may see reports only; MEDIA_ROOT is never served publicly."""
    if not request.user.has_perm("trust.view_scamreport"):
        raise Http404("No such screenshot")
    report = get_object_or_404(ScamReport.objects.exclude(screenshot=""), pk=pk)
    stored = open_stored(report.screenshot)
    if stored is None:
        return unavailable_image()
    response = FileResponse(
        stored,
        content_type=SCREENSHOT_TYPES.get(Path(report.screenshot.name).suffix, "application/octet-stream"),
    )
    response["Content-Disposition"] = "inline"
    response["Cache-Control"] = "private, no-store"
    # Even a crafted file opened directly can run nothing.
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@require_GET
def warnings_list(request: HttpRequest) -> HttpResponse:
    context = {
        "scams": ConfirmedScam.objects.for_warnings_page(),
        "alerts": ScamAlert.objects.active().select_related("brand").order_by("brand__order", "-starts_at"),
    }
    return render(request, "trust/warnings.html", context)


@require_GET
def api_verify(request: HttpRequest) -> JsonResponse:
    """GET /api/v1/verify?value=...: the verdict as JSON; 400 for an empty or over-long value."""
    value = request.GET.get("value", "")
    if not value.strip():
        return JsonResponse(
            {"error": "empty", "message": _("Give the contact to check in ?value=.")}, status=400
        )
    if len(value) > MAX_MESSAGE_LENGTH:
        return JsonResponse(
            {
                "error": "too_long",
                "message": _("The value is longer than %(max)d characters.") % {"max": MAX_MESSAGE_LENGTH},
            },
            status=400,
        )
    return JsonResponse(verify_text(value).as_json(), json_dumps_params={"ensure_ascii": False})
