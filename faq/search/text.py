"""Text as the index sees it: normalisation, Chinese segmentation, English stemming.

Everything language-specific happens here, in Python, so that SQLite (FTS5) and
PostgreSQL (tsvector + GIN) index and query the very same tokens:

1. ``normalize``: NFKC, lower case, Traditional → Simplified with zhconv
   (``zh-cn``), and 帐 → 账, the form our articles use.
2. ``tokenize``: jieba's search mode (``cut_for_search``), then every token is
   split into runs of CJK or of ASCII letters and digits, and English words get a
   light plural/suffix stemmer. Punctuation never reaches the database, so both
   databases' own tokenizers only ever split on the spaces we put in.

Changing any of this changes the stored tokens: bump ``index.SEARCH_VERSION`` and run
``manage.py rebuild_search_index``.
"""

from __future__ import annotations

import logging
import re
import threading
import unicodedata

import zhconv
from django.conf import settings

_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_TOKEN_RE = re.compile(f"[{_CJK}]+|[a-z0-9]+")
_NON_TOKEN_RE = re.compile(f"[^{_CJK}a-z0-9]+")
# zhconv's zh-cn leaves the variant 帐 alone; the articles (and mainland usage) write 账.
VARIANTS = str.maketrans({"帐": "账"})

_SUFFIXES = (("sses", "ss"), ("ies", "y"), ("ing", ""), ("ed", ""), ("es", ""), ("s", ""))
_KEEP_S = ("ss", "us", "is")


def normalize(text: str) -> str:
    """Fold width, case and Traditional characters into the form the index stores."""
    text = unicodedata.normalize("NFKC", text).lower()
    return zhconv.convert(text, "zh-cn").translate(VARIANTS)


def stem(word: str) -> str:
    """A light English stemmer: refunds/refunded/refunding → refund; short words stay."""
    if not word.isascii() or not word.isalpha() or len(word) <= 3:
        return word
    for suffix, replacement in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            if suffix == "s" and word.endswith(_KEEP_S):
                return word
            if suffix == "es" and not word.endswith(("shes", "ches", "xes", "sses", "zes")):
                continue
            return word[: -len(suffix)] + replacement
    return word


_tokenizer = None
_tokenizer_lock = threading.Lock()


def segmenter():
    """jieba's tokenizer, loaded once per process (about 0.6 s and 85 MB).

    Servers call ``warm_up()`` at start (helpcenter/wsgi.py) so no request pays for
    it. jieba caches its parsed dictionary in a file; ``JIEBA_CACHE_DIR`` puts that
    file somewhere writable (the system temp directory otherwise).
    """
    global _tokenizer
    if _tokenizer is None:
        with _tokenizer_lock:
            if _tokenizer is None:
                import jieba

                # jieba logs its dictionary loading at DEBUG through a handler of its own.
                jieba.setLogLevel(logging.WARNING)
                tokenizer = jieba.Tokenizer()
                cache_dir = getattr(settings, "JIEBA_CACHE_DIR", "")
                if cache_dir:
                    tokenizer.tmp_dir = str(cache_dir)
                tokenizer.initialize()
                _tokenizer = tokenizer
    return _tokenizer


def warm_up() -> None:
    """Load the segmenter now rather than on the first search."""
    segmenter()


def tokens_of_normalized(normalized: str) -> list[str]:
    """The index tokens of text already passed through ``normalize``."""
    tokens = []
    for chunk in _NON_TOKEN_RE.split(normalized):
        if not chunk:
            continue
        for word in segmenter().cut_for_search(chunk):
            tokens.extend(stem(piece) for piece in _TOKEN_RE.findall(word))
    return tokens


def tokenize(text: str) -> list[str]:
    """The index tokens of `text`, in order (repeats kept)."""
    return tokens_of_normalized(normalize(text))


def index_text(text: str) -> str:
    """What the database indexes for `text`: its tokens separated by spaces."""
    return " ".join(tokenize(text))


_MARKDOWN_NOISE_RE = re.compile(r"!?\[([^\]]*)\]\([^)]*\)|[#>*_`|~]+")


def markdown_text(body: str) -> str:
    """Markdown source reduced to its words: link text kept, URLs and markup dropped."""
    return _MARKDOWN_NOISE_RE.sub(lambda match: match.group(1) or " ", body)
