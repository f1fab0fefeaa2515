"""The CAMEO and PLOVER ontologies, shipped as data (`data/event_ontology.json`).

Built by `python -m newsfuse.train.event_ontology` from `../shared/data/ontology`; the file
records its sources and their licences under "sources". Quad classes use our five names:
statement, verbal cooperation, material cooperation, verbal conflict, material conflict.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

QUAD_CLASSES = (
    "statement",
    "verbal cooperation",
    "material cooperation",
    "verbal conflict",
    "material conflict",
)


@dataclass(frozen=True, slots=True)
class CameoCode:
    code: str
    name: str
    goldstein: float
    quad_class: str
    """One of `QUAD_CLASSES`, from the code's root."""
    root: str
    plover: str | None
    """The PLOVER type the code maps to; None for statements and appeals (01, 02)."""
    mode: str | None
    context: str | None


class Ontology:
    """CAMEO codes, PLOVER types and the mapping between them."""

    def __init__(self, data: dict[str, Any]) -> None:
        self._cameo = {
            code: CameoCode(
                code,
                e["name"],
                float(e["goldstein"]),
                e["quad_class"],
                e["root"],
                e["plover"],
                e["mode"],
                e["context"],
            )
            for code, e in data["cameo"].items()
        }
        self._plover: dict[str, dict[str, Any]] = data["plover"]
        self._representative: dict[str, str] = data["representative"]
        self.sources: dict[str, str] = data["sources"]

    @classmethod
    @cache
    def default(cls) -> Ontology:
        """The shipped ontology, loaded once."""
        text = resources.files("newsfuse.annotate").joinpath("data/event_ontology.json")
        return cls(json.loads(text.read_text(encoding="utf-8")))

    def cameo(self, code: str) -> CameoCode | None:
        return self._cameo.get(code)

    def goldstein(self, code: str) -> float | None:
        found = self._cameo.get(code)
        return found.goldstein if found else None

    def plover_types(self) -> tuple[str, ...]:
        return tuple(self._plover)

    def plover_modes(self, plover: str) -> tuple[str, ...]:
        return tuple(self._plover[plover.upper()]["modes"])

    def cameo_for(self, plover: str, mode: str | None = None) -> str:
        """The most generic CAMEO code mapped to the type (and mode, where the mapping has it):
        CONSULT -> "04", CONSULT/visit -> "042", THREATEN/restrict -> "1312"."""
        plover = plover.upper()
        if plover not in self._plover:
            raise KeyError(f"unknown PLOVER type {plover!r}; known: {', '.join(self._plover)}")
        if mode and f"{plover}/{mode}" in self._representative:
            return self._representative[f"{plover}/{mode}"]
        return self._representative[plover]

    def quad_class_of_plover(self, plover: str) -> str:
        """The type's quad class in the PLOVER manual (REQUEST: verbal conflict)."""
        return str(self._plover[plover.upper()]["quad_class"])
