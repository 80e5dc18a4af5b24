"""The JSON-LD writer's own text and compaction: the same as the standard encoder's and as
the plain longest-namespace rule, which it replaces for speed."""

from __future__ import annotations

import json
import random
from typing import Any

import pytest

from edugraph.publish import jsonld


def _value(rng: random.Random, depth: int) -> Any:
    kind = rng.randrange(7 if depth < 4 else 4)
    if kind == 0:
        return "".join(rng.choice('ab"\\\n\t\x01中文é/ ') for _ in range(rng.randrange(6)))
    if kind == 1:
        return rng.randrange(-1000, 1000)
    if kind == 2:
        return rng.random() < 0.5
    if kind == 3:
        return rng.choice([1.5, None, -0.25])
    if kind == 4:
        return []
    if kind in (5, 6) and rng.random() < 0.5:
        return [_value(rng, depth + 1) for _ in range(rng.randrange(1, 4))]
    keys = ["@id", "@type", "b", "a", "中", "@graph", "z:y"]
    return {rng.choice(keys): _value(rng, depth + 1) for _ in range(rng.randrange(4))}


@pytest.mark.parametrize("seed", range(40))
def test_dumps_is_the_standard_encoders_text(seed: int) -> None:
    value = _value(random.Random(seed), 0)
    assert jsonld.dumps(value) == json.dumps(value, ensure_ascii=False, indent=2, sort_keys=True)


def _longest_namespace(compactor: Any, iri: str) -> str:
    """The rule as first written: every namespace tried, longest first."""
    for prefix, namespace in compactor.prefixes:
        rest = iri[len(namespace) :]
        if iri.startswith(namespace) and rest and not rest.startswith("//"):
            return f"{prefix}:{rest}"
    return iri


def test_compaction_takes_the_longest_namespace_that_leaves_a_name() -> None:
    compactor = jsonld._Compactor(jsonld.context())
    namespaces = [namespace for _, namespace in compactor.prefixes]
    tails = ["", "x", "a/b", "//host", "a#b", "x/", "中文"]
    iris = [namespace + tail for namespace in namespaces for tail in tails]
    iris += ["urn:x:y", "http://example.org/", "no-separator", "#", "/"]
    assert any(_longest_namespace(compactor, iri) == iri for iri in iris)
    assert any(_longest_namespace(compactor, iri) != iri for iri in iris)
    for iri in iris:
        assert compactor.iri(iri) == _longest_namespace(compactor, iri), iri
