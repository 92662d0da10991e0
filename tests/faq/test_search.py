"""Article search on the database the tests run on (SQLite, or PostgreSQL via DATABASE_URL)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from faq import search
from faq.models import Article, Synonym
from faq.search import backends
from tests.factories import ArticleFactory, BrandFactory, CategoryFactory, make_article

pytestmark = pytest.mark.django_db


def slugs(query: str, *, language: str = "zh-hans", brand=None) -> list[str]:
    return [article.slug for article in Article.objects.visible(language=language, brand=brand).search(query)]


# Normalisation and segmentation (no database needed, but cheap enough here).


def test_traditional_input_is_converted_to_the_forms_articles_use():
    assert search.normalize("帳戶被凍結") == "账户被冻结"
    assert search.normalize("到帳") == "到账"
    assert search.normalize("註銷帳號") == "注销账号"
    # zhconv keeps the simplified variant 帐; we fold it into 账 as the articles write it.
    assert search.normalize("帐户") == "账户"


def test_full_width_and_case_are_folded():
    assert search.normalize("ＫＤＰＡＹ ２ＦＡ") == "kdpay 2fa"


def test_brand_names_and_codes_stay_whole_tokens():
    assert "kdpay" in search.tokenize("KDPAY 紧急冻结")
    assert "2fa" in search.tokenize("如何开启2FA")
    assert search.tokenize("support@kdpay.com") == ["support", "kdpay", "com"]


def test_question_words_are_dropped_from_queries():
    query = search.parse_query("账号被锁定了怎么办", synonyms=[])
    assert [term.alternatives for term in query.terms] == [(("账号",),), (("锁定",),)]
    assert not search.parse_query("怎么办？", synonyms=[])


# Finding and ranking.


def test_chinese_query_without_spaces_finds_the_article():
    make_article(title="忘记登录密码怎么办", slug="forgot", body="在登录页点击“忘记密码”。")
    make_article(title="如何申请退款", slug="refund", body="在订单页申请退款。")
    assert slugs("忘记密码") == ["forgot"]


def test_traditional_query_finds_simplified_article():
    make_article(title="账户被冻结怎么办", slug="frozen", body="联系客服解冻账户。")
    make_article(title="退款多久到账", slug="refund", body="一般三个工作日到账。")
    assert slugs("帳戶被凍結") == ["frozen"]
    assert slugs("到帳")[0] == "refund"


def test_mixed_brand_query_is_found():
    make_article(title="K豆钱包客服服务时间", slug="kdou-hours", body="客服电话工作日开放。")
    make_article(title="KDPAY 紧急冻结", slug="kdpay-freeze", body="在 App 里一键冻结。")
    assert slugs("K豆钱包客服电话")[0] == "kdou-hours"
    assert slugs("kdpay") == ["kdpay-freeze"]


def test_or_top_up_finds_articles_missing_some_words():
    make_article(title="登录不上去怎么办", slug="login", body="检查网络和密码。")
    # No article has 每天 and 登录 together; the OR top-up still finds the login article.
    assert slugs("每天登录不上去") == ["login"]


@pytest.fixture
def other_articles():
    """Unrelated articles, so that word rarity (bm25's IDF) means something, as on a real site."""
    for number, title in enumerate(
        ["如何更换绑定手机号", "支付限额说明", "钓鱼链接怎么识别", "被骗了怎么办"]
    ):
        make_article(title=title, slug=f"other-{number}", summary="", body="与本题无关的说明。")


def test_title_match_ranks_above_body_match(other_articles):
    make_article(title="账户安全指南", slug="body-only", body="不要泄露短信验证码，也不要告诉别人密码。")
    make_article(title="收不到短信验证码", slug="title", body="检查手机信号。")
    assert slugs("短信验证码") == ["title", "body-only"]


def test_summary_ranks_above_body(other_articles):
    make_article(title="常见问题", slug="body", summary="", body="关于手续费的说明。")
    make_article(title="常见问题二", slug="summary", summary="手续费怎么算", body="见下文。")
    assert slugs("手续费") == ["summary", "body"]


def test_featured_article_breaks_a_tie(other_articles):
    make_article(title="提现说明", slug="plain", summary="", body="提现说明正文。")
    make_article(title="提现说明", slug="featured", summary="", body="提现说明正文。", is_featured=True)
    assert slugs("提现") == ["featured", "plain"]


def test_drafts_scheduled_and_other_languages_never_appear():
    make_article(title="退款说明", slug="visible")
    make_article(title="退款草稿", slug="draft", status=Article.Status.DRAFT)
    make_article(title="退款预告", slug="scheduled", published_at=timezone.now() + timedelta(days=1))
    make_article(title="退款 refund", slug="english", language="en")
    assert slugs("退款") == ["visible"]
    assert slugs("refund", language="en") == ["english"]


def test_brand_filter_keeps_that_brand_and_articles_for_every_brand():
    kdpay, okpay = BrandFactory(slug="kdpay", name="KDPAY"), BrandFactory(slug="okpay", name="OKPay")
    make_article(title="提现到账时间", slug="kdpay-only", brands=[kdpay])
    make_article(title="提现到账时间", slug="okpay-only", brands=[okpay])
    make_article(title="提现到账时间", slug="everyone")
    assert sorted(slugs("提现", brand=kdpay)) == ["everyone", "kdpay-only"]
    assert sorted(slugs("提现")) == ["everyone", "kdpay-only", "okpay-only"]


def test_synonyms_widen_the_query():
    make_article(title="提现失败怎么办", slug="withdrawal", body="检查银行卡。")
    assert slugs("出金失败") == ["withdrawal"]  # via the OR top-up on 失败 alone
    assert slugs("出金") == []
    Synonym.objects.create(words="提现, 出金")
    search.forget_synonyms()
    assert slugs("出金") == ["withdrawal"]


def test_multi_word_synonyms_match_as_a_whole():
    make_article(title="申请退款", slug="refund", body="提交申请后原路退回。")
    Synonym.objects.create(words="退款，退钱")
    search.forget_synonyms()
    assert slugs("怎么退钱") == ["refund"]


# Keeping the index current.


def test_index_follows_edits():
    article = make_article(title="修改绑定手机号", slug="phone", body="在设置中修改。")
    assert slugs("手机号") == ["phone"]
    article.title, article.body = "更换邮箱", "在设置中更换邮箱。"
    article.save()
    assert slugs("手机号") == []
    assert slugs("邮箱") == ["phone"]


def test_index_follows_update_fields_saves():
    article = make_article(title="旧标题", slug="a", body="正文")
    article.title = "新的标题 发票"
    article.save(update_fields=["title"])
    assert slugs("发票") == ["a"]


def test_unpublish_and_publish_through_queryset_update():
    make_article(title="交易限额", slug="limits")
    Article.objects.filter(slug="limits").update(status=Article.Status.DRAFT)
    assert slugs("限额") == []
    Article.objects.filter(slug="limits").update(status=Article.Status.PUBLISHED)
    assert slugs("限额") == ["limits"]


def test_counter_updates_do_not_disturb_the_index():
    make_article(title="交易限额", slug="limits")
    Article.objects.filter(slug="limits").update(view_count=10)
    assert slugs("限额") == ["limits"]


def test_deleted_article_disappears():
    article = make_article(title="注销账户", slug="close")
    article.delete()
    assert slugs("注销") == []
    make_article(title="注销账户须知", slug="close-2")
    assert slugs("注销") == ["close-2"]


def test_rebuild_command_reindexes_outdated_rows():
    make_article(title="钓鱼链接识别", slug="phishing")
    # Simulate rows written by an older tokenizer: the stored tokens are stale.
    Article.objects.update(search_title="", search_summary="", search_body="", search_version=0)
    search.rebuild_database_index()
    assert slugs("钓鱼") == []
    call_command("rebuild_search_index", "--outdated", verbosity=0)
    assert slugs("钓鱼") == ["phishing"]
    assert Article.objects.get().search_version == search.SEARCH_VERSION


def test_result_limit_is_respected():
    for number in range(5):
        make_article(title=f"提现问题{number}", slug=f"w{number}")
    assert len(Article.objects.published().search("提现", limit=3)) == 3


# Snippets and highlighting.


def test_highlight_escapes_html_and_marks_words():
    html = search.highlight("<b>忘记密码</b> & 登录", search.parse_query("忘记密码", synonyms=[]).words)
    assert html == "&lt;b&gt;<mark>忘记</mark><mark>密码</mark>&lt;/b&gt; &amp; 登录"


def test_highlight_marks_simplified_text_for_a_traditional_query():
    words = search.parse_query("帳戶", synonyms=[]).words
    assert search.highlight("您的账户已冻结", words) == "您的<mark>账户</mark>已冻结"


def test_snippet_is_centred_on_the_first_match():
    text = "开头" * 100 + "这里讲提现手续费。" + "结尾" * 100
    result = search.snippet(text, ["手续费"], length=40)
    assert result.startswith("…") and result.endswith("…")
    assert "<mark>手续费</mark>" in result
    assert len(result.replace("<mark>", "").replace("</mark>", "")) <= 42


def test_segmenter_cache_goes_where_configured(tmp_path):
    """jieba's dictionary cache lands in DJANGO_JIEBA_CACHE_DIR (read-only containers)."""
    import os
    import subprocess
    import sys

    script = "import django; django.setup(); from faq.search import warm_up; warm_up()"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "helpcenter.settings",
        "DJANGO_JIEBA_CACHE_DIR": str(tmp_path),
    }
    subprocess.run([sys.executable, "-c", script], env=env, check=True, timeout=60, capture_output=True)
    assert [path.name for path in tmp_path.iterdir()] == ["jieba.cache"]


def test_highlight_folds_full_width_and_traditional_text():
    words = search.parse_query("账户冻结 kdpay", synonyms=[]).words
    html = search.highlight("您的帳戶已凍結，ＫＤＰＡＹ", words)
    assert html == "您的<mark>帳戶</mark>已<mark>凍結</mark>，<mark>ＫＤＰＡＹ</mark>"


def test_a_body_pass_over_its_time_limit_is_dropped_not_fatal(monkeypatch):
    """A slow body pass is given up (100,000-article sites): PostgreSQL by its statement timeout,
    SQLite by a progress handler."""
    from django.db import connection

    make_article(title="常见问题", slug="body-match", body="提现手续费的说明。")
    monkeypatch.setattr(backends, "BODY_PASS_TIMEOUT_MS", 1)
    slow = (
        "SELECT 1, pg_sleep(0.2)::text"
        if connection.vendor == "postgresql"
        else "WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < 50000000)"
        " SELECT max(x), 0 FROM n"
    )
    assert backends.run_with_timeout(slow, [], connection=connection) == []
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW statement_timeout")
            assert cursor.fetchone()[0] == "0"
    assert Article.objects.count() == 1  # the surrounding transaction is still usable
    assert backends.run_with_timeout("SELECT 1, 2", [], connection=connection, timeout_ms=1000) == [(1, 2.0)]


def test_a_lost_index_is_recreated_after_migrate():
    """SQLite drops triggers when Django rebuilds a table; post_migrate puts the index back."""
    from django.db import connection

    make_article(title="钓鱼链接识别", slug="phishing")
    if connection.vendor == "postgresql":  # ALTER TABLE waits for no deferred foreign-key checks
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    search.drop_index(connection)
    assert search.install_index(connection) is True
    assert search.install_index(connection) is False  # idempotent
    assert slugs("钓鱼") == ["phishing"]
    make_article(title="钓鱼网站举报", slug="report")  # and it keeps following new rows
    assert sorted(slugs("钓鱼")) == ["phishing", "report"]


def test_snippets_leave_out_the_heading_permalinks():
    article = ArticleFactory(title="提现到账时间", body="## 正常的到账时间\n\n提交后通常几分钟到账。")
    [with_snippet] = search.with_snippets([article], search.parse_query("到账"))
    assert "#" not in str(with_snippet.snippet)
    assert "到账时间 提交后" in str(with_snippet.snippet).replace("<mark>", "").replace("</mark>", "")


# One entry point, and search chained on a QuerySet.


def test_search_chained_on_a_queryset_keeps_its_filters():
    payments, security = CategoryFactory(slug="payments"), CategoryFactory(slug="security")
    make_article(title="提现到账时间", slug="payments-one", category=payments)
    make_article(title="提现安全提示", slug="security-one", category=security)
    make_article(title="提现草稿", slug="draft", category=payments, status=Article.Status.DRAFT)
    assert [a.slug for a in Article.objects.published().filter(category=payments).search("提现")] == [
        "payments-one"
    ]
    # A filter across a join (category__slug) is honoured too.
    assert [a.slug for a in Article.objects.published().filter(category__slug="security").search("提现")] == [
        "security-one"
    ]
    assert sorted(a.slug for a in Article.objects.filter(category=payments).search("提现")) == [
        "draft",
        "payments-one",
    ]
    assert list(Article.objects.none().search("提现")) == []


def test_the_entry_point_counts_all_matches_and_leaves_the_slots_for_corrections_and_answers():
    for number in range(3):
        make_article(title=f"退款问题{number}", slug=f"refund-{number}")
    result = search.search("退款", search.SearchFilters(language="zh-hans"))
    assert result.total == 3
    assert [str(article.highlighted_title) for article in result.top(1)] == ["<mark>退款</mark>问题0"]
    assert (result.corrected_query, result.answer) == (None, None)


# Question understanding.


@pytest.mark.parametrize(
    "question",
    [
        "你好，请问一下账号被封了是怎么回事？谢谢",
        "麻烦帮我看看账号被封了该怎么办呢",
        "账号被封了有什么办法吗",
    ],
)
def test_politeness_and_question_frames_are_not_searched_for(question):
    terms = search.parse_query(question, synonyms=[]).terms
    assert [term.alternatives for term in terms] == [(("账号",),), (("封",),)]


def test_everyday_words_count_less_than_domain_words_however_rare_in_the_articles():
    # 有人 (someone) is a stop word now, 城市 (city) is not: rare among articles, but everyday Chinese.
    city, refund = search.Term((("城市",),)), search.Term((("退款",), ("refund",)))
    assert search.query.everyday_share(city) < 0.5
    assert search.query.everyday_share(refund) == 1.0
    assert search.query.core_terms([city, refund], {city: 4.0, refund: 1.5}) == (refund,)


def test_a_title_holding_the_core_word_ranks_above_articles_holding_every_word_in_passing():
    # 手机 is in most articles, so it says little; 退款 is the question's core word.
    for number in range(6):
        make_article(title=f"手机设置{number}", slug=f"phone-{number}", summary="", body="手机的说明。")
    make_article(title="申请退款", slug="refund", summary="", body="在订单页提交申请。")
    make_article(title="手机常见问题", slug="in-passing", summary="", body="手机付款后也可以退款。")
    assert slugs("手机退款")[:2] == ["refund", "in-passing"]


# The result cache: per normalised query, filters and content version.


def test_the_same_question_typed_differently_is_answered_from_one_cache_entry():
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    make_article(title="忘记登录密码怎么办", slug="forgot")
    filters = search.SearchFilters(language="zh-hans")
    assert search.search("忘记密码", filters).total == 1
    with CaptureQueriesContext(connection) as captured:
        result = search.search("忘記密碼？", filters)
    assert (result.total, len(captured)) == (1, 0)


def test_a_content_change_is_searchable_at_once_despite_the_cache():
    filters = search.SearchFilters(language="zh-hans")
    make_article(title="退款说明", slug="first")
    assert [a.slug for a in search.search("退款", filters).articles] == ["first"]
    make_article(title="退款到账时间", slug="second")
    assert sorted(a.slug for a in search.search("退款", filters).articles) == ["first", "second"]


def test_cached_results_are_kept_apart_per_brand():
    kdpay, okpay = BrandFactory(slug="kdpay", name="KDPAY"), BrandFactory(slug="okpay", name="OKPay")
    make_article(title="提现到账时间", slug="kdpay-only", brands=[kdpay])
    assert [a.slug for a in search.search("提现", search.SearchFilters("zh-hans", brand=kdpay)).articles] == [
        "kdpay-only"
    ]
    assert list(search.search("提现", search.SearchFilters("zh-hans", brand=okpay)).articles) == []


def test_word_counts_are_kept_in_the_process_for_the_content_version():
    # An in-process cache culls past 300 entries, and a shared one costs a round trip: the
    # process keeps the counts it read for as long as the content version stands.
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from faq.search import rarity

    make_article(title="退款说明", slug="refund")
    articles = Article.objects.all()
    assert rarity.document_frequencies(["退款", "提现"], articles) == ({"退款": 1, "提现": 0}, 1)
    cache.clear()
    with CaptureQueriesContext(connection) as captured:
        assert rarity.document_frequencies(["退款", "提现"], articles) == ({"退款": 1, "提现": 0}, 1)
    assert len(captured) == 0
    make_article(title="提现说明", slug="withdraw")  # a new content version: counted afresh
    assert rarity.document_frequencies(["提现"], articles)[0] == {"提现": 1}
