"""Text as the index sees it: normalisation, Chinese segmentation, English stemming.

Everything language-specific happens here, in Python, so that SQLite (FTS5) and
PostgreSQL (tsvector + GIN) index and query the very same tokens:

1. ``normalize``: NFKC, lower case, Traditional → Simplified with zhconv
   (``zh-cn``), and 帐 → 账, the form our articles use.
2. ``tokenize``: jieba's search mode (``cut_for_search``), then every token is
   split into runs of CJK or of ASCII letters and digits, and English words are
   stemmed (``stem``: Snowball's English stemmer through PyStemmer, after folding
   irregular verb forms and British -ise spellings). Punctuation never reaches the
   database, so both databases' own tokenizers only ever split on the spaces we put in.

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

# Irregular forms Snowball leaves alone (it strips suffixes, it does not know paid is pay), for
# the verbs people use about money and accounts; each maps to the base form, stemmed after.
_IRREGULAR = {
    form: base
    for base, forms in {
        "pay": "paid overpaid prepaid repaid",
        "send": "sent",
        "spend": "spent",
        "lose": "lost",
        "steal": "stole stolen",
        "freeze": "froze frozen",
        "withdraw": "withdrew withdrawn",
        "forget": "forgot forgotten",
        "take": "took taken",
        "give": "gave given",
        "buy": "bought",
        "sell": "sold",
        "make": "made",
        "tell": "told",
        "say": "said",
        "come": "came",
        "go": "went gone",
        "break": "broke broken",
        "choose": "chose chosen",
        "find": "found",
        "hold": "held",
        "leave": "left",
        "mean": "meant",
        "see": "saw seen",
        "think": "thought",
        "write": "wrote written",
        "begin": "began begun",
        "know": "knew known",
        "hear": "heard",
        "bind": "bound",
        "lend": "lent",
        "stick": "stuck",
        "fall": "fell fallen",
        "draw": "drew drawn",
        "run": "ran",
        "ring": "rang rung",
    }.items()
    for form in forms.split()
}
# British -ise/-isation spellings as -ize: Snowball stems authorised to "authoris" but
# authorized to "author". Three letters and a consonant before it, so raise and noise stay.
_BRITISH_ISE_RE = re.compile(r"^([a-z]{2,}[^aeiouy])is(e|es|ed|ing|ation|ations|er|ers)$")
_stemmers = threading.local()


def normalize(text: str) -> str:
    """Fold width, case and Traditional characters into the form the index stores."""
    text = unicodedata.normalize("NFKC", text).lower()
    return zhconv.convert(text, "zh-cn").translate(VARIANTS)


def _english_stemmer():
    """Snowball's English (Porter2) stemmer, one per thread: a PyStemmer instance keeps
    state between calls and must not be shared (the spelling vocabulary builds in a thread)."""
    stemmer = getattr(_stemmers, "english", None)
    if stemmer is None:
        import Stemmer

        stemmer = _stemmers.english = Stemmer.Stemmer("english")
    return stemmer


def stem(word: str) -> str:
    """An English word's stem, the same for its inflected forms: charge, charged, charges and
    charging are all "charg"; paid is pay, authorised is authorized's stem. Anything else
    (Chinese, digits, codes such as 2fa) is returned as it is."""
    if not word.isascii() or not word.isalpha() or len(word) <= 2:
        return word
    word = _IRREGULAR.get(word, word)
    word = _BRITISH_ISE_RE.sub(r"\1iz\2", word)
    return _english_stemmer().stemWord(word)


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
