"""What ties a mention to an actor named elsewhere in the article: a person's apposition
("Zalmay Khalilzad, a US peace envoy") and a bare title's earlier bearer ("the president" after
"US President Donald Trump"). Used by the actors stage (:mod:`flashpoint.stages.actors`).
"""

from __future__ import annotations

from collections.abc import Container

from spacy.tokens import Doc, Span

from flashpoint.records import ActorRef


def apposition(ent: Span, refs: list[ActorRef]) -> ActorRef | None:
    """The actor a name's apposition resolves to: "Zalmay Khalilzad, a US peace envoy" is the
    envoy's USAGOV."""
    for child in ent.root.children:
        if child.dep_ == "appos":
            lo, hi = child.left_edge.idx, child.right_edge.idx + len(child.right_edge)
            hit = next((r for r in refs if lo <= r.span[0] and r.span[1] <= hi and (r.country or r.org)), None)
            if hit is not None:
                return hit
    return None


def words(span: Span, sectors: Container[str]) -> set[str]:
    """The sector words and titles of a mention ("president", "police")."""
    return {w for t in span for w in (t.lower_, t.lemma_.lower()) if w in sectors}


def titled(doc: Doc, resolved: list[ActorRef], sectors: Container[str]) -> list[tuple[int, str, str]]:
    """(start, title word, country) of each resolved mention of a country's actor, with the
    titles of its noun phrase: "US President Donald Trump" gives ("president", USA)."""
    found = []
    for ref in resolved:
        span = doc.char_span(*ref.span, alignment_mode="expand")
        if span is None or not ref.country:
            continue
        # the phrase's head, read from its last word when the parser made a determiner the root
        root = span[-1] if span.root.dep_ == "det" and len(span) > 1 else span.root
        phrase = doc[min(root.left_edge.i, span.start):span.end]
        found.extend((ref.span[0], w, ref.country) for w in words(phrase, sectors))
    return sorted(found)


def title_country(named: list[tuple[int, str, str]], title: set[str], before: int, parties: set[str]) -> str | None:
    """The country of the mentions before ``before`` (the bare agent's sentence: within one
    sentence its own countries decide) that bear one of ``title``'s words, if they all are of
    one country and it is no party of the bare agent's own verb: after "US President Donald
    Trump" and "Turkish President Recep Tayyip Erdoğan", "the president" stays bare."""
    countries = {country for start, word, country in named if start < before and word in title}
    if len(countries) != 1 or countries & parties:
        return None
    return next(iter(countries))
