"""Text handling: normalisation, tokenisation and concept spotting for Chinese-and-English postings.

Postings are Chinese without spaces, often mixed with English terms (CNC, EMC, IGBT) or written
in English only. :func:`tokenize` cuts them with jieba, taught every Chinese surface form of the
knowledge graph so that industrial terms (液冷板, 数控加工) stay whole; English words pass through
lower-cased. The web layer calls it once when a posting is written and stores the tokens.
:func:`spot_concepts` then maps token runs onto concepts by longest match, which also catches
multi-word English terms ("cnc machining") and terms jieba happened to cut apart.
"""

from __future__ import annotations

import logging
import re
import sys
import threading
import unicodedata
from collections import Counter
from functools import lru_cache
from importlib import resources

from .knowledge import DATA_PACKAGE, KnowledgeGraph, load_knowledge

MAX_TEXT_CHARS = 4000     # longer descriptions are cut: the first screenful carries the substance
MAX_TOKENS = 800
_HAN = re.compile(r"[\u4e00-\u9fff]")
_KEEP = re.compile(r"[\w\u4e00-\u9fff+#.&]+")
_lock = threading.Lock()
_tokenizers: dict[str, object] = {}


def normalize_text(text: str | None) -> str:
    """NFKC (full-width → half-width), lower case, capped at ``MAX_TEXT_CHARS`` characters."""
    if not text:
        return ""
    return unicodedata.normalize("NFKC", text[: MAX_TEXT_CHARS * 2])[:MAX_TEXT_CHARS].lower()


def posting_text(title: str | None, description: str | None, tags=()) -> str:
    """The text of a posting that :func:`tokenize` is applied to (title, tags, description)."""
    return "\n".join(part for part in (title or "", " ".join(tags or ()), description or "") if part)


def _jieba(mode: str):
    """A private jieba tokenizer; ``mode`` "words" knows the field's vocabulary, "plain" does not."""
    with _lock:
        tokenizer = _tokenizers.get(mode)
        if tokenizer is None:
            import jieba

            jieba.setLogLevel(logging.WARNING)
            tokenizer = jieba.Tokenizer()
            tokenizer.initialize()
            if mode == "words":
                kg = load_knowledge()
                for surface in _field_words(kg):
                    tokenizer.add_word(surface, freq=50000)
                userdict = resources.files(DATA_PACKAGE).joinpath("userdict.txt")
                for line in userdict.read_text(encoding="utf-8").splitlines():
                    parts = line.split()
                    if parts and not line.startswith("#"):
                        tokenizer.add_word(parts[0], freq=int(parts[1]) * 2500 if len(parts) > 1 else None)
            _tokenizers[mode] = tokenizer
        return tokenizer


def _field_words(kg: KnowledgeGraph) -> list[str]:
    words = set()
    for cid in kg.concept_ids:
        for surface in kg.surfaces(cid):
            s = unicodedata.normalize("NFKC", surface).lower().strip()
            if _HAN.search(s) and " " not in s:
                words.add(s)
    return sorted(words)


def tokenize(text: str | None, *, mode: str = "words") -> tuple[str, ...]:
    """Cut ``text`` into lower-case tokens (punctuation and spaces dropped, stop words kept).

    ``mode="words"`` (default) uses jieba with the field's user dictionary; ``mode="plain"``
    uses jieba's own dictionary only (kept to measure what the dictionary is worth).
    Text beyond ``MAX_TEXT_CHARS`` is ignored; the result is at most ``MAX_TOKENS`` long.
    Tokens are interned, so a million stored postings share their strings.
    """
    text = normalize_text(text)
    if not text.strip():
        return ()
    tokens = []
    for piece in _jieba(mode).cut(text):
        piece = piece.strip().strip(".")
        if piece and _KEEP.fullmatch(piece):
            tokens.append(sys.intern(piece))
            if len(tokens) >= MAX_TOKENS:
                break
    return tuple(tokens)


@lru_cache(maxsize=1)
def stopwords() -> frozenset[str]:
    text = resources.files(DATA_PACKAGE).joinpath("stopwords.txt").read_text(encoding="utf-8")
    return frozenset(line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#"))


def _lookup(kg: KnowledgeGraph, token: str) -> str | None:
    cid = kg.lexicon.get(token)
    if cid is None and len(token) > 3 and token.endswith("s") and token.isascii():
        cid = kg.lexicon.get(token[:-1])
    return cid


def spot_concepts(tokens: tuple[str, ...], kg: KnowledgeGraph | None = None) -> tuple[Counter, list[str]]:
    """Concepts mentioned in ``tokens`` (longest match over up to four tokens) and leftover words.

    Tokens come from :func:`tokenize`, so they are already normalised; a run of tokens is
    extended only while its concatenation is still the prefix of some surface form.
    Returns (concept id → count, words not covered by any concept and not stop words).
    """
    kg = kg or load_knowledge()
    stop = stopwords()
    lexicon, prefixes, width = kg.lexicon, kg.prefixes, kg.max_alias_tokens
    found: Counter = Counter()
    rest: list[str] = []
    n = len(tokens)
    i = 0
    while i < n:
        token = tokens[i]
        best_cid, best_span = _lookup(kg, token), 1
        if token in prefixes:
            joined = token
            j = i + 1
            while j < n and j - i < width:
                joined += tokens[j]
                j += 1
                cid = lexicon.get(joined)
                if cid is not None:
                    best_cid, best_span = cid, j - i
                if joined not in prefixes:
                    break
        if best_cid is not None:
            found[best_cid] += 1
            i += best_span
            continue
        if len(token) > 1 and token not in stop and not token.isdigit():
            rest.append(token)
        i += 1
    return found, rest


def char_bigrams(tokens: tuple[str, ...]) -> list[str]:
    """Character bigrams of the Chinese runs in ``tokens`` plus the non-Chinese words themselves."""
    grams: list[str] = []
    run: list[str] = []

    def flush() -> None:
        text = "".join(run)
        if len(text) == 1:
            grams.append(text)
        grams.extend(text[j : j + 2] for j in range(len(text) - 1))
        run.clear()

    for token in tokens:
        if _HAN.match(token) and all(_HAN.match(ch) for ch in token):
            run.append(token)
        else:
            if run:
                flush()
            if len(token) > 1 and not token.isdigit():
                grams.append(token)
    if run:
        flush()
    return grams


def expand_query(text: str | None) -> set[str]:
    """Search terms for ``text``: its words plus every synonym of the concepts it names.

    A concept brings all its surface forms (数控加工 → cnc加工, 机加工, cnc machining …) and those
    of its narrower concepts (融资 → 贷款, 授信, 供应链金融 …), so a search for 检测 also finds
    测试 and 试验, and a search for 融资 finds 贷款 and 授信. Terms are lower-case; stop words
    are dropped. The web layer ORs them in its posting search.
    """
    kg = load_knowledge()
    tokens = tokenize(text)
    concepts, rest = spot_concepts(tokens, kg)
    terms = {t for t in rest}
    for cid in concepts:
        family = [cid, *kg.narrower(cid)]
        for member in family:
            for surface in kg.surfaces(member):
                terms.add(unicodedata.normalize("NFKC", surface).lower())
    return terms
