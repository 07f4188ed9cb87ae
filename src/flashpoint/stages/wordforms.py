"""Word forms: a verb's candidate lemmas where spaCy's lemmatizer errs ("hopes" → "hop",
"staged" → "stag", "speculating" left as it is)."""

from __future__ import annotations

from collections.abc import Collection

from spacy.tokens import Token


def deinflect(word: str) -> list[str]:
    """Candidate lemmas of an inflected verb form, for when the lemmatizer errs."""
    forms = []
    for suffix, repl in (("ied", "y"), ("ies", "y"), ("ed", ""), ("ed", "e"), ("ing", ""), ("ing", "e"),
                         ("es", ""), ("s", ""), ("d", "")):
        if word.endswith(suffix) and len(word) > len(suffix) + 2:
            forms.append(word[: -len(suffix)] + repl)
    # doubled final consonant: "planned" → "plan", "shelling" → "shell" is already covered
    forms += [f[:-1] for f in forms if len(f) > 3 and f[-1] == f[-2] and f[-1] not in "ls"]
    return forms


def is_one_of(tok: Token, words: Collection[str]) -> bool:
    """Whether a word is one of ``words``, by its lemma, its form or, where the lemmatizer
    errs, a de-inflected form."""
    return tok.lemma_.lower() in words or tok.lower_ in words or any(f in words for f in deinflect(tok.lower_))
