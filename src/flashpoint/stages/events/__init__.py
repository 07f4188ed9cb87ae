"""Events: who did what to whom, read off the dependency parse and coded in PLOVER and CAMEO.

The trigger lexicon (``data/events/events.csv``: verb and noun lemmas → CAMEO code and the
prepositions that introduce the target) and the CAMEO table (``data/events/cameo.csv``: CAMEO
code → QuadClass, Goldstein, PLOVER type/mode/context) are data. The package splits along the
stage's seams:

* ``_lexicon.py`` — the lexicon and CAMEO table (:class:`Lexicon`, :class:`Code`);
* ``_governors.py`` — governed actions: refusals, intents, demands, dropped clauses;
* ``_triggers.py`` — finding triggers: verbs, nouns, light verbs, verb+object codes;
* ``_roles.py`` — mapping arguments to actor mentions, role filling, pairs, confidence;
* ``_syntax.py`` — walking the parse (subjects, objects, partners, particles);
* ``_chains.py`` — one action named twice along a predicate chain is one event;
* ``coder.py`` — :class:`EventCoder`, the stage that puts them together per sentence;
* ``recaps.py`` — the ``recaps`` stage: an action told again later is not emitted twice.
"""

from flashpoint.stages.events._governors import Governors
from flashpoint.stages.events._lexicon import Code, Lexicon, Trigger
from flashpoint.stages.events.coder import EventCoder

__all__ = ["EventCoder", "Lexicon", "Code", "Trigger", "Governors"]
