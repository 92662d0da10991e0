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


def demo_contact_message():
    """A message from the demo's KDPAY user with one staff reply (created once)."""
    from brands.models import Brand
    from contact.models import ContactMessage
    from contact.services import contact_message_create, contact_reply_create

    message = ContactMessage.objects.order_by("pk").first()
    if message is None:
        message = contact_message_create(
            brand=Brand.objects.get(slug="kdpay"),
            topic="other",
            name="王小明",
            email="xiaoming@example.com",
            subject="退款三天了还没到账",
            message="11月3日在商户下单后申请了退款，商户说已经同意，但是钱包里还没有看到。订单号 KDP-20261103-0042。",
        )
        contact_reply_create(
            contact_message=message,
            author=None,
            body="您好，退款已在处理中，预计 1–3 个工作日到账，到账后会短信通知您。",
        )
    return message


def page_paths(*, languages: tuple[str, ...] = ("", "/en")) -> list[str]:
    from contact.links import status_token

    message = demo_contact_message()
    status = f"/contact/status/{message.reference}/{status_token(message)}/"
    return [prefix + path for prefix in languages for path in [*PAGE_TYPES, status]]
