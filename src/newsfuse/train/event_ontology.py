"""Compile the CAMEO and PLOVER ontologies into the package.

`python -m newsfuse.train.event_ontology [--data ../shared/data/ontology]`

Reads `../shared/data/ontology/` in place (never copied): `cameo_codes.jsonl` (names, Goldstein
scores, pentaclass), `cameo2plover.jsonl` (CAMEO -> PLOVER type, mode, context),
`plover_events.json` (16 types, definitions, modes, quad categories) and `plover_contexts.json`,
and writes one compact, deterministic JSON to `newsfuse/annotate/data/event_ontology.json`,
read at run time by `newsfuse.annotate.event_ontology.Ontology`.

The quad class of a CAMEO code is one of our five names, by its root (the pentaclass of the
source file, checked here): statement (01-02), verbal cooperation (03-05), material cooperation
(06-08), verbal conflict (09-13, 16), material conflict (14-15, 17-20).

The representative CAMEO code of a PLOVER type (and of a type+mode) is the most generic code the
mapping gives that type, under the CAMEO root named for the type or its legacy name (CONSULT -> 04
CONSULT, REQUEST -> 10 DEMAND), of those the root holding most of the type's codes (ASSAULT -> 18
ASSAULT, not 20; ACCUSE -> 11 DISAPPROVE, not 09 INVESTIGATE): the shortest code, then the one
ending in "0" ("not specified below"), then the lowest. So CONSULT -> "04", CONSULT/visit ->
"042", THREATEN/restrict -> "1312".
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

DEFAULT_DATA = Path(__file__).resolve().parents[3].parent / "shared" / "data" / "ontology"
OUTPUT = Path(__file__).resolve().parents[1] / "annotate" / "data" / "event_ontology.json"

QUAD_OF_PENTACLASS = (
    "statement",
    "verbal cooperation",
    "material cooperation",
    "verbal conflict",
    "material conflict",
)
_PENTACLASS_OF_ROOT = {
    **dict.fromkeys(("01", "02"), 0),
    **dict.fromkeys(("03", "04", "05"), 1),
    **dict.fromkeys(("06", "07", "08"), 2),
    **dict.fromkeys(("09", "10", "11", "12", "13", "16"), 3),
    **dict.fromkeys(("14", "15", "17", "18", "19", "20"), 4),
}
SOURCES = {
    "cameo": "CAMEO 1.1b3 codebook (Schrodt, Gerner & Yilmaz; Penn State / Parus Analytics): "
    "codes, names, Goldstein scores, via ../shared/data/ontology/cameo_codes.jsonl; "
    "no licence stated",
    "cameo2plover": "openeventdata/PLOVER CAMEO2PLOVER translation table, via "
    "../shared/data/ontology/cameo2plover.jsonl; CC BY-SA 4.0 (PLOVER repository)",
    "plover": "openeventdata/PLOVER PLOVER_MANUAL.tex @5e0c24f (2024-02-04), CC BY-SA 4.0; "
    "NGEC-2025 PLOVER structured codebook (no licence stated), via "
    "../shared/data/ontology/plover_events.json and plover_contexts.json",
}


def _jsonl(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def _quad(code: str) -> str:
    return QUAD_OF_PENTACLASS[_PENTACLASS_OF_ROOT[code[:2]]]


def _generic_first(codes: Sequence[str], home_roots: set[str]) -> str:
    per_root = Counter(c[:2] for c in codes)
    return min(
        codes,
        key=lambda c: (c[:2] not in home_roots, -per_root[c[:2]], len(c), not c.endswith("0"), c),
    )


def compile_ontology(data: Path) -> dict[str, Any]:
    """The compiled ontology as plain JSON-ready data."""
    codes = _jsonl(data / "cameo_codes.jsonl")
    mapping = {row["cameo"]: row for row in _jsonl(data / "cameo2plover.jsonl")}
    plover = json.loads((data / "plover_events.json").read_text(encoding="utf-8"))
    contexts = json.loads((data / "plover_contexts.json").read_text(encoding="utf-8"))

    cameo: dict[str, dict[str, Any]] = {}
    for row in codes:
        code = row["code"]
        quad = _quad(code)
        if QUAD_OF_PENTACLASS[row["pentaclass"]] != quad:
            raise ValueError(
                f"CAMEO {code}: pentaclass {row['pentaclass']} disagrees with its root"
            )
        link = mapping.get(code, {})
        cameo[code] = {
            "name": row["name"],
            "goldstein": row["goldstein"],
            "quad_class": quad,
            "root": row["root"],
            "parent": row["parent"],
            "plover": link.get("plover_event", row["plover_event"]),
            "mode": link.get("plover_mode", row["plover_mode"]),
            "context": link.get("plover_context", row["plover_context"]),
        }
    for code, link in mapping.items():  # codes the mapping has and the code list lacks
        if code not in cameo:
            parent = code[:-1]
            cameo[code] = {
                **cameo[parent],
                "name": link["cameo_name"] or link["comment"],
                "parent": parent,
                "plover": link["plover_event"],
                "mode": link["plover_mode"],
                "context": link["plover_context"],
            }

    types: dict[str, dict[str, Any]] = {}
    for entry in plover["event_types"]:
        types[entry["event"]] = {
            "definition": entry["definition"],
            "quad_class": entry["quad_category"].lower(),
            "score": entry["plover_score"],
            "requires_recipient": entry["requires_recipient"] == "Yes",
            "modes": {m["mode"]: m["definition"] for m in entry["modes"]},
        }
    by_type: dict[str, list[str]] = {}
    for code, entry in cameo.items():
        if entry["plover"]:
            by_type.setdefault(entry["plover"], []).append(code)
            if entry["mode"]:
                by_type.setdefault(f"{entry['plover']}/{entry['mode']}", []).append(code)
    missing = [t for t in types if t not in by_type]
    if missing:
        raise ValueError(f"no CAMEO code maps to PLOVER {missing}")
    legacy = plover.get("legacy_label_map", {})
    roots_of: dict[str, set[str]] = {}
    for code, entry in cameo.items():
        if len(code) == 2:
            name = entry["name"].upper()
            roots_of.setdefault(legacy.get(name, name), set()).add(code)
    representative = {
        key: _generic_first(found, roots_of.get(key.split("/")[0], set()))
        for key, found in sorted(by_type.items())
    }
    return {
        "sources": SOURCES,
        "cameo": dict(sorted(cameo.items())),
        "plover": types,
        "representative": representative,
        "contexts": {c["context"]: c["definition"] for c in contexts},
        "legacy_plover": legacy,
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="the ontology folder")
    parser.add_argument("--out", type=Path, default=OUTPUT, help="where the JSON goes")
    args = parser.parse_args(argv)
    compiled = compile_ontology(args.data)
    text = json.dumps(compiled, ensure_ascii=False, sort_keys=False, separators=(",", ":"))
    args.out.write_text(text + "\n", encoding="utf-8")
    print(
        f"wrote {args.out} ({len(text):,} bytes): {len(compiled['cameo'])} CAMEO codes, "
        f"{len(compiled['plover'])} PLOVER types"
    )


if __name__ == "__main__":
    main()
