""" "Was this the answer?": the vote on a direct answer, and the page a vote without JavaScript
lands on (the answer box itself is rendered with the search results, templates/faq/_answer.html).
"""

from __future__ import annotations

from urllib.parse import urlencode

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from helpcenter.ratelimits import rate_limit
from helpcenter.request import HtmxHttpRequest

from .answer_service import answer_feedback_record, read_vote_token
from .forms import MAX_QUERY_LENGTH


class AnswerVoteForm(forms.Form):
    token = forms.CharField(max_length=2000)
    vote = forms.ChoiceField(
        choices=[("yes", _("Yes, it was")), ("no", _("No, it wasn’t"))],
        error_messages={"required": _("Choose yes or no."), "invalid_choice": _("Choose yes or no.")},
    )

    def clean_token(self):
        """The token must be one this site signed for an answer it showed."""
        voted = read_vote_token(self.cleaned_data["token"])
        if voted is None:
            raise forms.ValidationError(_("This answer can no longer be rated. Please search again."))
        return voted


class ThanksForm(forms.Form):
    vote = forms.ChoiceField(choices=[("yes", "yes"), ("no", "no")], required=False)
    q = forms.CharField(max_length=MAX_QUERY_LENGTH, required=False)


# No CSRF token: the form sits in cached responses shared by every visitor (instant results, the
# results fragment), so it cannot carry one. A vote acts with no identity, session or cookie of
# the visitor, so a forged cross-site vote is no more than anyone can post directly; the rate
# limit bounds both.
@csrf_exempt
@require_POST
@rate_limit("answer-vote")
def answer_vote(request: HtmxHttpRequest) -> HttpResponse:
    """Record one vote; htmx gets the thanks fragment, a plain form post is redirected to a page."""
    form = AnswerVoteForm(request.POST)
    template_name = "faq/answer_thanks.html" + ("#answer-vote-result" if request.htmx else "")
    if not form.is_valid():
        return render(request, template_name, {"form": form}, status=400)
    voted, is_answer = form.cleaned_data["token"], form.cleaned_data["vote"] == "yes"
    answer_feedback_record(voted, is_answer=is_answer)
    if request.htmx:
        return render(request, template_name, {"is_answer": is_answer, "voted": True})
    query = urlencode({"vote": form.cleaned_data["vote"], "q": voted.query})
    return redirect(f"{reverse('faq:answer_thanks')}?{query}", permanent=False)


@require_GET
def answer_thanks(request: HttpRequest) -> HttpResponse:
    """Where a vote without JavaScript lands: thanks, and the way on (results, or support)."""
    form = ThanksForm(request.GET)
    data = form.cleaned_data if form.is_valid() else {"vote": "", "q": ""}
    context = {"is_answer": data["vote"] == "yes", "voted": bool(data["vote"]), "q": data["q"]}
    return render(request, "faq/answer_thanks.html", context)
