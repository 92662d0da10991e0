"""Every page type a visitor can reach, in both languages, for the checks that must hold on all of them.

Call `page_paths()` after the demo content is loaded (`load_demo`): it adds the one thing the demo
lacks, a contact message with a staff reply, and returns the paths. The status page is reached
through its private link, which grants the browser access as the emailed link does.
"""

from __future__ import annotations

PAGE_TYPES = [
    "/",
    "/b/kdpay/",
    "/c/security/",
    "/a/forgot-password/",
    "/a/forgot-password/feedback/",
    "/search/?q=退款",
    "/search/?q=注销",  # with a direct answer
    "/search/?q=qqqqzzzz",
    "/search/",
    "/contact/",
    "/contact/kdou/",
    "/contact/okpay/",
    "/contact/message/",
    "/contact/status/",
    "/verify/",
    "/verify/?value=https://help.kdpay.example/login",
    "/verify/?value=https://okpay-kefu.example/login",
    "/verify/?value=4000000999",
    "/verify/report/",
    "/warnings/",
    "/does-not-exist/",
]


def page_paths(*, languages: tuple[str, ...] = ("", "/en")) -> list[str]:
    from contact.demo import demo_contact_message
    from contact.links import status_token

    message = demo_contact_message()
    status = f"/contact/status/{message.reference}/{status_token(message)}/"
    return [prefix + path for prefix in languages for path in [*PAGE_TYPES, status]]
