"""A plain text-retrieval baseline (BM25 over tokens, no knowledge graph, no direction rules).

It exists to be beaten: the benchmark and the evaluation report the matcher's figures beside
it, so the value of the graph and of need/offer direction is measured, not asserted.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from scipy import sparse

from .model import PostingProfile
from .text import char_bigrams, posting_text, stopwords, tokenize


def baseline_terms(posting: PostingProfile, mode: str = "words") -> list[str]:
    tokens = posting.tokens if posting.tokens is not None else tokenize(
        posting_text(posting.title, posting.description, posting.tags))
    stop = stopwords()
    words = [t for t in tokens if t not in stop and len(t) > 1 and not t.isdigit()]
    if mode == "words":
        return words
    grams = char_bigrams(tuple(tokens))
    return grams if mode == "bigrams" else words + grams


class BM25Baseline:
    """BM25 (k1=1.5, b=0.75) over the documents' terms, as a sparse matrix; query = bag of terms."""

    def __init__(self, documents: Sequence[PostingProfile], *, mode: str = "words", k1: float = 1.5, b: float = 0.75):
        self.mode = mode
        self.ids = np.array([d.id for d in documents], dtype=np.int64)
        vocab: dict[str, int] = {}
        rows, cols, vals = [], [], []
        lengths = np.zeros(len(documents))
        for i, doc in enumerate(documents):
            terms = baseline_terms(doc, mode)
            lengths[i] = len(terms)
            counts: dict[int, int] = {}
            for term in terms:
                j = vocab.setdefault(term, len(vocab))
                counts[j] = counts.get(j, 0) + 1
            for j, n in counts.items():
                rows.append(i)
                cols.append(j)
                vals.append(n)
        self.vocab = vocab
        n_docs = max(len(documents), 1)
        tf = sparse.csr_matrix((np.asarray(vals, dtype=np.float32), (rows, cols)), shape=(len(documents), len(vocab)))
        df = np.bincount(np.asarray(cols, dtype=np.int64), minlength=len(vocab)).astype(np.float64)
        self.idf = np.log1p((n_docs - df + 0.5) / (df + 0.5)).astype(np.float32)
        avg = lengths.mean() if len(lengths) else 1.0
        norm = k1 * (1 - b + b * lengths / max(avg, 1e-9))
        tf = tf.tocoo()
        weights = tf.data * (k1 + 1) / (tf.data + norm[tf.row])
        self.matrix = sparse.csc_matrix((weights.astype(np.float32), (tf.row, tf.col)), shape=tf.shape)

    def scores(self, query: PostingProfile) -> np.ndarray:
        cols = sorted({self.vocab[t] for t in baseline_terms(query, self.mode) if t in self.vocab})
        if not cols:
            return np.zeros(len(self.ids), dtype=np.float32)
        return np.asarray(self.matrix[:, cols] @ self.idf[cols]).ravel()

    def rank(self, query: PostingProfile, limit: int = 50) -> list[tuple[int, float]]:
        """Best ``limit`` (document id, score) pairs with a positive score."""
        s = self.scores(query)
        hits = np.flatnonzero(s > 0)
        if len(hits) > limit:
            hits = hits[np.argpartition(-s[hits], limit)[:limit]]
        hits = hits[np.lexsort((self.ids[hits], -s[hits]))]
        return [(int(self.ids[i]), float(s[i])) for i in hits]


def bulk_rank(baseline: BM25Baseline, queries: Sequence[PostingProfile], limit: int = 50,
              chunk: int = 2000) -> int:
    """Top ``limit`` documents for every query by chunked sparse products; returns the pair count.

    This is the baseline's "full rematch": the same sparse machinery as the matcher, minus the
    graph, the direction rules and the caps, so the time ratio between the two is meaningful.
    """
    target = baseline.matrix.T.tocsr()
    pairs = 0
    for start in range(0, len(queries), chunk):
        rows, cols = [], []
        for r, query in enumerate(queries[start:start + chunk]):
            for c in {baseline.vocab[t] for t in baseline_terms(query, baseline.mode) if t in baseline.vocab}:
                rows.append(r)
                cols.append(c)
        q = sparse.csr_matrix((baseline.idf[cols] if cols else np.zeros(0, np.float32), (rows, cols)),
                              shape=(min(chunk, len(queries) - start), len(baseline.vocab)))
        scores = (q @ target).tocsr()
        for r in range(scores.shape[0]):
            s, e = scores.indptr[r], scores.indptr[r + 1]
            if e - s > limit:
                np.argpartition(-scores.data[s:e], limit)
            pairs += min(e - s, limit)
    return pairs
