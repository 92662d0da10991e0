"""The search relevance set: queries written the way users type them, with the demo
articles (faq/demo_content/) a person would accept as answers.

Shared by tests/faq/test_search_relevance.py and bench/search_relevance.py.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Case:
    query: str
    answers: tuple[str, ...]
    language: str = "zh-hans"
    brand: str | None = None


CASES = [
    # Short words and the issue's own examples.
    Case("忘记密码", ("forgot-password", "okpay-password-reset-email")),
    Case("退款多久到账", ("refund-timelines",)),
    Case("提现为什么还没到", ("withdrawal-delay", "okpay-withdrawal-status")),
    Case("K豆钱包客服电话", ("kdou-service-hours", "contact-channels-hours", "verify-official-contact")),
    Case("退款", ("how-to-request-refund", "refund-timelines", "refund-rejected", "refund-not-received")),
    Case("实名认证", ("identity-verification", "kdou-real-name-upgrade")),
    Case("手续费", ("withdrawal-fees-limits",)),
    Case("限额", ("payment-limits", "withdrawal-fees-limits", "kdou-real-name-upgrade")),
    Case("注销", ("close-account",)),
    Case("钓鱼", ("phishing-links",)),
    # Colloquial questions and paraphrases.
    Case("登录不上去", ("login-problems",)),
    Case("账号被锁定了怎么办", ("account-locked-frozen",)),
    Case("收不到验证码", ("sms-code-not-received", "login-problems")),
    Case("钱扣了但是付款失败", ("payment-failed-money-deducted",)),
    Case("扣了两次钱", ("duplicate-charge",)),
    Case("重复扣款", ("duplicate-charge",)),
    Case("转错账户了能追回吗", ("transfer-to-wrong-recipient",)),
    Case("换手机号", ("change-phone-number",)),
    Case("怎么知道是不是假客服", ("spot-fake-customer-service", "verify-official-contact")),
    Case("被骗了钱怎么要回来", ("scammed-what-to-do",)),
    Case("有陌生的交易记录", ("unauthorized-transaction",)),
    Case("退款被拒绝", ("refund-rejected",)),
    Case("退款成功了但是没收到钱", ("refund-not-received",)),
    Case("客服多久回复", ("reply-time-reference-number", "okpay-email-support")),
    Case("投诉", ("escalate-unresolved",)),
    Case("哪些国家能用", ("supported-regions",)),
    Case("提现到错的银行卡", ("withdrawal-wrong-card",)),
    Case("提现失败被退回", ("withdrawal-failed",)),
    Case("支付一直处理中", ("kdpay-payment-processing",)),
    Case("手机丢了二次验证怎么办", ("lost-2fa-device",)),
    Case("联系客服要准备什么资料", ("before-contacting-support",)),
    Case("如何保护账户安全", ("keep-account-safe", "unauthorized-transaction")),
    Case("外币退款金额不对", ("okpay-cross-currency-refund",)),
    # Traditional characters.
    Case("忘記密碼", ("forgot-password", "okpay-password-reset-email")),
    Case("帳戶被凍結", ("account-locked-frozen", "kdpay-emergency-freeze")),
    Case("提現到帳", ("withdrawal-delay", "kdpay-instant-withdrawal")),
    Case("退款多久到帳", ("refund-timelines",)),
    Case("註銷帳號", ("close-account",)),
    # Brands, codes and mixed Chinese/English.
    Case("KDPAY 冻结", ("kdpay-emergency-freeze",)),
    Case("kdpay实时到账", ("kdpay-instant-withdrawal",)),
    Case("OKPay邮箱重置密码", ("okpay-password-reset-email",)),
    Case("okpay 提现", ("okpay-withdrawal-status",)),
    Case("开启2FA", ("two-factor-authentication",)),
    Case("K豆 退款", ("kdou-refund-to-balance",)),
    Case("24小时客服", ("kdpay-24-hour-service",)),
    # Typos and near-misses.
    Case("忘记密马", ("forgot-password", "okpay-password-reset-email")),
    Case("提现手续废", ("withdrawal-fees-limits",)),
    # English.
    Case("forgot password", ("forgot-password",), language="en"),
    Case("refund", ("refund-timelines", "how-to-request-refund"), language="en"),
    Case("how long do refunds take", ("refund-timelines",), language="en"),
    Case("withdrawal not arrived", ("withdrawal-delay",), language="en"),
    Case("lost 2FA phone", ("lost-2fa-device",), language="en"),
    Case("scam", ("scammed-what-to-do", "spot-fake-customer-service"), language="en"),
    Case("travelling abroad", ("using-your-wallet-abroad",), language="en"),
    Case("can't log in", ("login-problems",), language="en"),
    Case("kdpay frozen account", ("kdpay-emergency-freeze", "account-locked-frozen"), language="en"),
]


def recall_at_3(found: list[str], answers: tuple[str, ...]) -> float:
    return len(set(found[:3]) & set(answers)) / min(3, len(answers))


def reciprocal_rank(found: list[str], answers: tuple[str, ...]) -> float:
    return next((1 / rank for rank, slug in enumerate(found[:10], 1) if slug in answers), 0.0)
