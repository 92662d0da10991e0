"""The wallet set's blind part: 84 more queries over the same 69 wallet articles, for issue 12's
"search that generalises to articles and queries nobody tuned for".

Written on 2026-12-01 from the articles' titles, summaries and bodies only, before any search
was run against them, and committed before the search change they measure (see the history of
this file). They are never tuned against and never looked at query by query: bench/relevance.py
reports them in their own column ("blind"), next to the older held-out part.

The kinds are the wallet set's own; they lean on the weak spots the outside measure found
(paraphrase, colloquial, English paraphrase, short, mixed Chinese-English, sound-alike typos).
A query without a Chinese character is asked in English.
"""

from __future__ import annotations

BLIND_QUERIES: dict[str, list[tuple[str, tuple[str, ...]]]] = {
    # The situation, in the user's words, without the articles' keywords.
    "paraphrase": [
        ("对方说是平台工作人员要我开远程", ("screen-sharing-scam", "fake-support-calls")),
        ("点赞赚佣金的活靠谱吗", ("order-brushing-job-scam",)),
        ("钱给了店家但店家说没看到", ("merchant-says-unpaid",)),
        ("旧号码停机了怎么改成新号", ("change-bound-phone",)),
        ("账单里有一笔我没买过的东西", ("payment-dispute-chargeback", "account-hacked")),
        ("点了短信里的链接还输了卡号", ("phishing-texts-links",)),
        ("钱包里的钱怎么弄到银行里", ("how-to-withdraw",)),
        ("以后不打算再用了想把号删掉", ("close-wallet-account",)),
        ("订单还没发货我不要了钱能回来吗", ("refund-after-cancelled-order",)),
        ("让店员扫我手机上的码付钱", ("scan-qr-code-pay",)),
        ("我还不到十八岁能开通吗", ("minors-using-wallet",)),
        ("想一次付一大笔钱但是付不了", ("daily-payment-limit", "kyc-levels-limits")),
        ("系统说我交易有风险把账号限制了", ("frozen-account-appeal",)),
        ("用了家人的身份证认证想改成自己的", ("kyc-wrong-name",)),
        ("周六提的钱什么时候能到", ("withdrawal-holidays",)),
        ("有人打电话说我开通了百万保障要帮我关掉", ("fake-support-calls",)),
    ],
    # How people say it in a chat box.
    "colloquial": [
        ("退的钱跑哪去了", ("refund-success-not-received", "refund-arrival-time")),
        ("验证码老说不对", ("code-invalid-expired",)),
        ("卡绑不上", ("add-bank-card-failed",)),
        ("账号让人给盗了咋整", ("account-hacked",)),
        ("提个现还要收钱？", ("withdrawal-fees",)),
        ("密码老输错被锁了", ("account-locked-wrong-password",)),
        ("充了半天没反应", ("top-up-not-credited",)),
        ("付款一直在转圈圈", ("payment-processing-status",)),
        ("咋找人工", ("talk-to-human-agent",)),
        ("怎么一次只能提这么点", ("withdrawal-limits",)),
        ("钱被风控了取不出来", ("frozen-account-appeal", "withdrawal-under-review")),
        ("骗子的号怎么举报", ("report-suspicious-account",)),
        ("不小心把验证码给别人了", ("never-share-verification-code",)),
        ("提现点错了想撤回来", ("cancel-withdrawal",)),
        ("手机丢了钱会不会被人转走", ("lost-phone-protect-wallet",)),
    ],
    # English paraphrases, against the English translations.
    "english": [
        ("can't log in, too many attempts", ("account-locked-wrong-password",)),
        ("my money hasn't shown up in my bank", ("withdrawal-not-arrived", "refund-success-not-received")),
        ("someone wants me to share my screen", ("screen-sharing-scam",)),
        ("paid but the shop says they got nothing", ("merchant-says-unpaid",)),
        ("how do I stop monthly charges", ("cancel-auto-debit",)),
        ("I'm under 18, can I use it", ("minors-using-wallet",)),
        ("change my phone number", ("change-bound-phone",)),
        ("card won't link", ("add-bank-card-failed",)),
        ("the verification code expired", ("code-invalid-expired",)),
        ("text with a link saying my points are expiring", ("phishing-texts-links",)),
        ("refund went to my wallet balance instead of my card", ("kdou-refund-to-balance-only",)),
        ("why was my payment declined", ("payment-declined-reasons",)),
        ("withdrawal bounced back to my balance", ("withdrawal-returned",)),
        ("complain about how my case was handled", ("complaint-escalation",)),
        ("calling customer service from overseas", ("support-from-abroad",)),
        ("verify my identity as a foreigner", ("passport-verification-foreigners",)),
        ("payment pending for hours", ("payment-processing-status",)),
    ],
    # One or two words (two of them English).
    "short": [
        ("解冻", ("frozen-account-appeal", "lost-phone-protect-wallet")),
        ("扫码", ("scan-qr-code-pay",)),
        ("锁定", ("account-locked-wrong-password",)),
        ("邮箱", ("bind-email",)),
        ("人脸", ("kyc-face-check-failed",)),
        ("汇率", ("okpay-refund-currency",)),
        ("refund", ("request-a-refund", "refund-arrival-time")),
        ("password", ("reset-login-password", "reset-payment-pin")),
        ("撤销", ("cancel-withdrawal",)),
        ("钓鱼", ("phishing-texts-links",)),
        ("热线", ("hotline-service-hours",)),
        ("举报", ("report-suspicious-account",)),
    ],
    # Chinese with English words and brand names.
    "mixed": [
        ("APP里怎么改手机号", ("change-bound-phone",)),
        ("KDPAY账户怎么自己freeze", ("emergency-freeze-self",)),
        ("okpay 没有电话吗", ("okpay-email-contact",)),
        ("提现 pending 好久", ("withdrawal-under-review", "withdrawal-not-arrived")),
        ("付款被 declined", ("payment-declined-reasons",)),
        ("K豆 refund 为啥到余额", ("kdou-refund-to-balance-only",)),
        ("KYC 等级", ("kyc-levels-limits",)),
        ("账号被 hack 了", ("account-hacked",)),
        ("otp 收不到", ("sms-code-not-arriving",)),
        ("绑 card 失败", ("add-bank-card-failed",)),
        ("transfer 转错人", ("transfer-sent-to-wrong-person",)),
        ("客服 hotline 几点", ("hotline-service-hours",)),
    ],
    # Sound-alike characters from pinyin input.
    "typo": [
        ("登陆密码忘了", ("reset-login-password",)),
        ("帐户被盗", ("account-hacked",)),
        ("提线没到账", ("withdrawal-not-arrived",)),
        ("充直没到账", ("top-up-not-credited",)),
        ("退宽被拒绝", ("refund-declined-next-steps",)),
        ("解帮银行卡", ("remove-bank-card",)),
        ("人工可服", ("talk-to-human-agent",)),
        ("验整码过期", ("code-invalid-expired",)),
        ("身份证认正失败", ("kyc-id-upload-failed",)),
        ("重付扣款", ("charged-twice",)),
        ("诈骗电化", ("fake-support-calls",)),
        ("帐户冻洁", ("frozen-account-appeal", "emergency-freeze-self")),
    ],
}
