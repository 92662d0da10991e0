"""Errors from the JSON API (everything under /api/) are JSON, whatever produced them.

A 404 for an unknown address, a 405 from `require_GET`, the 400 for a disallowed host,
the 503 of a database outage and the 500 of a bug all start as Django's HTML pages; an
API client cannot read those. `ApiErrorsAsJsonMiddleware` replaces any non-JSON error
response under /api/ with `{"error": code, "message": text}` (keeping the status and
headers such as Retry-After), and `handler500` uses `api_error` for errors that escape
every middleware. Messages follow the API's `?lang=` parameter.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

API_PREFIX = "/api/"
API_LANGUAGES = {"zh-hans", "en"}

# Status -> (machine-readable code, message for people).
ERRORS = {
    400: ("bad_request", _("The request is not valid.")),
    403: ("forbidden", _("This request is not allowed.")),
    404: ("not_found", _("There is nothing at this address.")),
    405: ("method_not_allowed", _("This address does not accept this method.")),
    429: ("too_many_requests", _("Too many requests. Please wait a minute and try again.")),
    500: ("server_error", _("Something went wrong on our side. Please try again later.")),
    503: ("unavailable", _("The Help Center is briefly unavailable. Please try again in a minute.")),
}
KEPT_HEADERS = ("Retry-After", "Allow", "Cache-Control")


def is_api_request(request: HttpRequest) -> bool:
    return request.path_info.startswith(API_PREFIX)


def api_error(request: HttpRequest, status: int) -> JsonResponse:
    code, message = ERRORS.get(status, ERRORS[500] if status >= 500 else ERRORS[400])
    language = request.GET.get("lang", "")
    with translation.override(language if language in API_LANGUAGES else "zh-hans"):
        body = {"error": code, "message": str(message)}
    return JsonResponse(body, status=status, json_dumps_params={"ensure_ascii": False})


class ApiErrorsAsJsonMiddleware:
    """Under /api/, turn any error response that is not JSON into the API's JSON error."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            response.status_code < 400
            or not is_api_request(request)
            or response.get("Content-Type", "").startswith("application/json")
        ):
            return response
        json_response = api_error(request, response.status_code)
        for header in KEPT_HEADERS:
            if header in response:
                json_response[header] = response[header]
        return json_response
