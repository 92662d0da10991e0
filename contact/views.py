"""Contact pages: official channels with live opening status, the contact form, and message status.

The channel pages are the same for everyone until the next opening or closing instant:
they say so with `max-age` and the page cache (pagecache/) keeps them until then. The forms
carry CSRF tokens and stay `never_cache`; the blank contact form is rendered once and only
its token is filled in per request.
"""

from __future__ import annotations

import functools
import hashlib
from datetime import date, timedelta

from django.contrib import messages
from django.core.cache import cache
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from brands.selectors import active_brand, active_brands, brand_from_query
from faq.selectors import most_read_articles
from helpcenter.localized import current_language
from helpcenter.ratelimits import limit_exceeded
from helpcenter.request import HtmxHttpRequest, absolute_url
from helpcenter.uploads import open_stored, unavailable_image
from pagecache.middleware import mark_token_page, public_page, request_may_use_cache
from pagecache.versions import current_version

from .forms import ContactMessageForm, FollowUpForm, RatingForm, SensitiveCheckForm, StatusLookupForm
from .hours import calendar_covers, channel_hours, next_local_midnight
from .links import check_status_token
from .models import Attachment, ContactMessage, Reply
from .normalize import email_identity
from .selectors import public_channels, public_channels_of
from .sensitive import CARD, CODE, ID_NUMBER, PASSWORD, sensitive_kinds
from .services import (
    AlreadyRated,
    contact_followup_create,
    contact_message_create,
    contact_message_rate,
    normalize_reference,
)
from .urgency import UrgentHelp, by_urgency, seconds_until_change, urgent_shortcuts

UPCOMING_DAYS = 45
WARNING_TEXTS = {
    CARD: _(
        "This looks like a bank card number. We only need its last four digits; the rest will be masked."
    ),
    ID_NUMBER: _("This looks like an ID number. We will keep only its last four digits."),
    CODE: _("This looks like an SMS verification code. Never share codes with anyone, including us."),
    PASSWORD: _("This looks like a password. Remove it: we never need your password."),
}
FOLLOWUP_LIMITED = _(
    "Too many messages were sent from your connection. Please wait an hour and send this again; "
    "what you wrote is still here."
)
MASK_LABELS = {CARD: _("bank card numbers"), ID_NUMBER: _("ID numbers")}


def _calendar_note_needed(cards, today: date) -> bool:
    """True when a channel follows the China calendar but the library does not cover the coming weeks."""
    follows = any(card.channel.follows_china_calendar for card in cards)
    return follows and not calendar_covers(today + timedelta(days=UPCOMING_DAYS))


def _until_hours_change(response: HttpResponse, cards, now, brands) -> HttpResponse:
    """Tell the page cache (and browsers, CDNs) how long the page stays true: until a status
    shown changes, or the brands' next local midnight (today's row of the weekly hours and
    the upcoming changes move then), whichever comes first."""
    midnights = [(next_local_midnight(brand.tz, now) - now).total_seconds() for brand in brands]
    seconds = min([seconds_until_change(cards, now), *(int(s) for s in midnights)])
    patch_cache_control(response, max_age=max(0, seconds))
    return response


@public_page
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    cards = channel_hours(public_channels(), now, upcoming_days=0)
    by_brand: dict[int, list] = {}
    for card in cards:
        by_brand.setdefault(card.channel.brand_id, []).append(card)
    brands = [{"brand": brand, "cards": by_urgency(by_brand.get(brand.pk, []))} for brand in active_brands()]
    # The emergency shortcuts first: the page lists every brand's channels, a long scroll on a phone.
    urgent = UrgentHelp(urgent_shortcuts(cards), valid_seconds=seconds_until_change(cards, now))
    response = render(request, "contact/index.html", {"brands": brands, "urgent": urgent})
    return _until_hours_change(response, cards, now, [item["brand"] for item in brands])


@public_page
@require_GET
@vary_on_headers("HX-Request")
def brand_detail(request: HtmxHttpRequest, brand_slug: str) -> HttpResponse:
    brand = active_brand(brand_slug)
    if brand is None:
        raise Http404("No such brand")
    now = timezone.now()
    cards = by_urgency(channel_hours(public_channels_of(brand), now, upcoming_days=UPCOMING_DAYS))
    context = {
        "brand": brand,
        "cards": cards,
        "upcoming": sorted(
            ((card, plan) for card in cards for plan in card.upcoming), key=lambda x: x[1].day
        ),
        "calendar_note": _calendar_note_needed(cards, timezone.localdate(now, brand.tz)),
        "articles": most_read_articles(brand=brand, limit=6),
    }
    template_name = "contact/brand_detail.html"
    if request.htmx and not request.htmx.history_restore_request:
        template_name += "#channels"
    return _until_hours_change(render(request, template_name, context), cards, now, [brand])


# --- The contact form ----------------------------------------------------------------

SESSION_KEY = "contact_messages"
SESSION_LIMIT = 20


def _grant_access(request: HttpRequest, message: ContactMessage) -> None:
    """Remember in the session that this visitor may see `message` (private link, lookup, or sender)."""
    allowed = [pk for pk in request.session.get(SESSION_KEY, []) if pk != message.pk]
    request.session[SESSION_KEY] = [message.pk, *allowed][:SESSION_LIMIT]


def _has_access(request: HttpRequest, message: ContactMessage) -> bool:
    if request.user.is_authenticated and request.user.has_perm("contact.view_contactmessage"):
        return True
    return message.pk in request.session.get(SESSION_KEY, [])


def _too_many(request: HttpRequest, template: str, context: dict) -> HttpResponse:
    context = {**context, "rate_limited": True}
    return render(request, template, context, status=429)


@require_http_methods(["GET", "POST"])
@never_cache
def message_create(request: HtmxHttpRequest) -> HttpResponse:
    if request.method == "POST":
        form = ContactMessageForm(request.POST, request.FILES)
        if limit_exceeded(request, "contact-submit"):
            return _too_many(request, "contact/message_form.html", {"form": form})
        if form.is_valid():
            if limit_exceeded(request, "contact-submit-email", email_identity(form.cleaned_data["email"])):
                return _too_many(request, "contact/message_form.html", {"form": form})
            message = contact_message_create(
                **form.service_kwargs(),
                language=current_language(),
                base_url=absolute_url("/", request),
            )
            _grant_access(request, message)
            request.session["contact_sent"] = message.pk
            request.session["contact_not_stored"] = message.not_stored
            return redirect("contact:message_sent")
    else:
        return _blank_form_page(request)
    warnings = _sensitive_warnings(request.POST) if request.method == "POST" else []
    return render(request, "contact/message_form.html", {"form": form, "warnings": warnings})


CSRF_PLACEHOLDER = "csrf-token-placeholder-5d1c"
BLANK_FORM_SECONDS = 300


def _blank_form_page(request: HttpRequest) -> HttpResponse:
    """The empty contact form: rendered once per address and content version, token filled in here.

    Everything on the page is the same for every visitor except the CSRF token, so the
    HTML is kept with a placeholder where the token goes and each request only swaps in
    its own token (which also sets the CSRF cookie as usual). A visitor with a session or
    a flash message gets a fresh render: the page might show something meant for them.
    """
    key = None
    if request_may_use_cache(request):
        path = request.get_full_path()
        key = f"contact:blank-form:{current_version()}:{current_language()}:{hashlib.sha256(path.encode()).hexdigest()}"
        html = cache.get(key)
        if html is not None:
            return _with_token(request, html)
    brand = brand_from_query(request)
    form = ContactMessageForm(initial={"brand": brand.slug} if brand else None)
    html = render_to_string(
        "contact/message_form.html", {"form": form, "csrf_token": CSRF_PLACEHOLDER}, request=request
    )
    if key is not None:
        cache.set(key, html, BLANK_FORM_SECONDS)
    return _with_token(request, html)


def _with_token(request: HttpRequest, html: str) -> HttpResponse:
    response = HttpResponse(html.replace(CSRF_PLACEHOLDER, get_token(request)))
    # The page cache may keep the page with the placeholder and fill in each visitor's token itself.
    return mark_token_page(response, html, CSRF_PLACEHOLDER)


@require_GET
@never_cache
def message_sent(request: HttpRequest) -> HttpResponse:
    message = (
        ContactMessage.objects.select_related("brand")
        .filter(pk=request.session.get("contact_sent") or 0)
        .first()
    )
    if message is None:
        return redirect("contact:message_create")
    masked = [MASK_LABELS[kind] for kind in message.masked.split(",") if kind in MASK_LABELS]
    not_stored = ", ".join(request.session.get("contact_not_stored", []))
    context = {"message": message, "masked": masked, "not_stored": not_stored}
    return render(request, "contact/message_sent.html", context)


@require_POST
@vary_on_headers("HX-Request")
def sensitive_check(request: HtmxHttpRequest) -> HttpResponse:
    """Warn while the user types (htmx posts the text here); without JS the service masks on submit."""
    warnings = [] if limit_exceeded(request, "contact-sensitive-check") else _sensitive_warnings(request.POST)
    return render(request, "contact/message_form.html#sensitive-warning", {"warnings": warnings})


def _sensitive_warnings(data) -> list[str]:
    """Warnings for a password, code, card or ID number in submitted text (contact form or follow-up).

    The page rendered after a failed submit shows them too, so the warning stays while the
    text still holds such data (htmx replaces it as the user edits).
    """
    form = SensitiveCheckForm(data)
    if not form.is_valid():
        return []
    text = "\n".join(form.cleaned_data[field] for field in ("subject", "account", "message", "body"))
    return [WARNING_TEXTS[kind] for kind in sensitive_kinds(text)]


# --- Following a message ------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@never_cache
def status_lookup(request: HttpRequest) -> HttpResponse:
    """Reference plus email. Wrong email and unknown reference get the same answer, and the attempts
    are rate-limited per IP, so references cannot be enumerated or confirmed."""
    form = StatusLookupForm(request.POST or None)
    not_found = False
    if request.method == "POST":
        if limit_exceeded(request, "contact-lookup"):
            return _too_many(request, "contact/status_lookup.html", {"form": form})
        if form.is_valid():
            message = ContactMessage.objects.matching(
                reference=normalize_reference(form.cleaned_data["reference"]),
                email=form.cleaned_data["email"],
            )
            if message is not None:
                _grant_access(request, message)
                return redirect("contact:status_detail", reference=message.reference)
            not_found = True
    return render(request, "contact/status_lookup.html", {"form": form, "not_found": not_found})


@require_GET
@never_cache
def status_link(request: HttpRequest, reference: str, token: str) -> HttpResponse:
    """The private link from the emails: grants this browser access, then drops the token from the URL."""
    message = ContactMessage.objects.filter(reference=reference).first()
    if message is None or not check_status_token(message, token):
        raise Http404("Unknown or expired link")
    _grant_access(request, message)
    return redirect("contact:status_detail", reference=message.reference)


def _visitors_message(view):
    """Call `view` with the message `reference` names when this visitor may see it; otherwise
    show the lookup page, as a failed lookup does: it does not reveal whether the reference exists."""

    @functools.wraps(view)
    def with_message(request: HttpRequest, reference: str) -> HttpResponse:
        message = ContactMessage.objects.for_status_page().filter(reference=reference).first()
        if message is None or not _has_access(request, message):
            return redirect("contact:status_lookup")
        return view(request, message)

    return with_message


def _status_page(
    request: HttpRequest, message: ContactMessage, *, status: int = 200, **forms
) -> HttpResponse:
    replies = [reply for reply in message.replies.all() if reply.kind != Reply.Kind.NOTE]
    answered = any(reply.kind == Reply.Kind.STAFF for reply in replies)
    context = {
        "message": message,
        "replies": replies,
        "answered": answered,
        # A message closed without a reply gave the customer nothing to rate.
        "can_rate": message.can_rate and answered,
        "attachments": [a for a in message.attachments.all() if a.reply_id is None],
        "followup_form": forms.get("followup_form") or FollowUpForm(),
        "rating_form": forms.get("rating_form") or RatingForm(),
        "followup_warnings": _sensitive_warnings(request.POST) if "followup_form" in forms else [],
    }
    return render(request, "contact/message_status.html", context, status=status)


@require_GET
@never_cache
@_visitors_message
def status_detail(request: HttpRequest, message: ContactMessage) -> HttpResponse:
    return _status_page(request, message)


@require_POST
@never_cache
@_visitors_message
def status_followup(request: HttpRequest, message: ContactMessage) -> HttpResponse:
    if limit_exceeded(request, "contact-followup"):
        # Shown again with what was written, so nothing typed is lost while the limit lasts;
        # the files are not even opened (a file input cannot be refilled anyway).
        limited = FollowUpForm(request.POST)
        limited.is_valid()
        limited.add_error(None, FOLLOWUP_LIMITED)
        return _status_page(request, message, status=429, followup_form=limited)
    form = FollowUpForm(request.POST, request.FILES)
    if not form.is_valid():
        return _status_page(request, message, followup_form=form)
    reply, masked = contact_followup_create(
        contact_message=message, body=form.cleaned_data["body"], images=form.cleaned_data["attachments"]
    )
    messages.success(request, _("Thank you, your information was added to the message."))
    _followup_notices(request, reply, masked)
    return redirect("contact:status_detail", reference=message.reference)


def _followup_notices(request: HttpRequest, reply: Reply, masked: list[str]) -> None:
    """What the visitor should know about a follow-up that was added: files not saved, data masked."""
    if reply.not_stored:
        messages.warning(
            request,
            _(
                "Your text was added, but these files could not be saved because of a temporary "
                "fault: %(names)s. Please try adding them again later."
            )
            % {"names": ", ".join(reply.not_stored)},
        )
    if masked:
        kinds = ", ".join(str(MASK_LABELS[kind]) for kind in masked)
        messages.info(
            request,
            _("For your safety we stored the %(kinds)s in your message masked to their last four digits.")
            % {"kinds": kinds},
        )


@require_POST
@never_cache
@_visitors_message
def status_rate(request: HttpRequest, message: ContactMessage) -> HttpResponse:
    form = RatingForm(request.POST)
    if not form.is_valid():
        return _status_page(request, message, rating_form=form)
    try:
        contact_message_rate(
            contact_message=message, rating=form.cleaned_data["rating"], comment=form.cleaned_data["comment"]
        )
    except AlreadyRated:
        messages.error(request, _("This message has already been rated, or it is not resolved yet."))
    else:
        messages.success(request, _("Thank you for rating our help."))
    return redirect("contact:status_detail", reference=message.reference)


@require_GET
def attachment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Attachments are served only to staff and to the message's owner, never from the static tree."""
    attachment = get_object_or_404(Attachment.objects.select_related("contact_message"), pk=pk)
    if not _has_access(request, attachment.contact_message):
        raise Http404("No such attachment")
    stored = open_stored(attachment.file)
    if stored is None:
        return unavailable_image()
    response = FileResponse(stored, content_type=attachment.content_type)
    response["Content-Disposition"] = "inline"
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
