-- Flashpoint store, schema version 4: whether an incident's events in a dyad share one type and
-- QuadClass (issue 15). A unit's type is the one most of its events share (ties: the first
-- alphabetically), which takes a grouping per (unit, type, QuadClass) before the grouping per unit;
-- for a unit whose events all share one type and QuadClass in the whole store, any subset a query
-- keeps shares it too, so the dyad queries take its type from any of its rows and group only the
-- other units twice (most incidents: 376,000 groups fewer on a million events).
-- Filled by analysis/dyads.py's refresh; the rows stored before it are NULL, so the state is
-- cleared: the layer is stale (the queries join as before) until the next refresh.
ALTER TABLE dyad_events ADD COLUMN pure BOOLEAN;  -- every row of (undirected dyad, incident) has this type and QuadClass
DELETE FROM dyad_events_state;
