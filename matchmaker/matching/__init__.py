"""matchmaker.matching — pairs lead-firm (链主) postings with SME postings along the seven chains.

Pure domain code: plain dataclasses in, suggestions with bilingual reasons out; no web or
database imports. See README-matching.md for the design and measured figures.

Public API::

    tokenize(text) -> tuple[str, ...]
    posting_text(title, description, tags=()) -> str
    propose_chains(side, kind, category) -> tuple[str, ...]
    expand_query(text) -> set[str]
    MatchIndex(postings=(), *, now=None, config=None)  # .add/.update/.upsert/.remove/.compact/.candidates
    match_all(postings, *, k=10, m=20, excluded_pairs=frozenset(), held={}, progress=None, ...)
    suggest_for(posting, index, *, k=10, m=20, excluded_pairs=frozenset(), held={}, lead_held={})
    explain_no_suggestions(posting, index, ...) -> Reason
"""

from .engine import explain_no_suggestions, match_all, suggest_for
from .index import MatchConfig, MatchIndex, ScoredPair
from .knowledge import KnowledgeGraph, load_knowledge
from .model import (CHAIN_LABELS, CHAINS, CORE_CHAINS, POSTING_KINDS, TIERS, PostingProfile, Reason,
                    Suggestion)
from .rules import propose_chains
from .text import expand_query, posting_text, tokenize

__all__ = [
    "CHAINS", "CHAIN_LABELS", "CORE_CHAINS", "POSTING_KINDS", "TIERS",
    "PostingProfile", "Reason", "Suggestion", "ScoredPair",
    "MatchConfig", "MatchIndex", "KnowledgeGraph", "load_knowledge",
    "tokenize", "posting_text", "propose_chains", "expand_query",
    "match_all", "suggest_for", "explain_no_suggestions",
]
