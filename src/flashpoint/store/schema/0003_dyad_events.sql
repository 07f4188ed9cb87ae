-- Flashpoint store, schema version 3: the dyad layer's events, materialised (issues 14 and 15).
-- One row per event and directed pair of dyad members (source member → target member; a member is
-- an actor's organisation, else its country), with what the dyad, escalation and network queries
-- read of the event, its article, its incident and its actors, so that they scan one table instead
-- of joining events, articles, incident_events, incidents and event_actors (twice) on every query.
-- Derived data: analysis/dyads.py refreshes it when incidents are rebuilt and reads it only while
-- the fingerprint in dyad_events_state still matches the store (otherwise it joins as before).
CREATE TABLE dyad_events (
    article_id       VARCHAR NOT NULL,
    position         INTEGER NOT NULL,
    actor1           VARCHAR NOT NULL,  -- the source's member
    actor2           VARCHAR NOT NULL,  -- the target's member
    source_codes     VARCHAR[] NOT NULL, -- codes of the event's sources with member actor1 (dyad filters)
    target_codes     VARCHAR[] NOT NULL, -- codes of the event's targets with member actor2
    codes            VARCHAR[] NOT NULL, -- every actor code of the event, any role (actor filters)
    mirror           BOOLEAN NOT NULL,  -- the event also has actor2 → actor1 and actor2 < actor1: an
                                        -- undirected dyad reads that row (with this row's codes) instead
    mirror_source_codes VARCHAR[],      -- on the row an undirected dyad reads: the reverse pair's codes
    mirror_target_codes VARCHAR[],
    type             VARCHAR,
    quad_class       INTEGER,
    goldstein        DOUBLE,
    certainty        VARCHAR,
    confidence       DOUBLE,
    date_start       DATE,
    date_end         DATE,
    root             VARCHAR NOT NULL,  -- the article, or the original it near-duplicates
    incident_id      VARCHAR NOT NULL,  -- its incident, else 'event:ARTICLE:POSITION'
    incident_sources INTEGER            -- the incident's independent sources (NULL: in no incident)
);
-- What the store held when dyad_events was last refreshed (one row; none: never refreshed).
CREATE TABLE dyad_events_state (
    fingerprint VARCHAR NOT NULL,
    refreshed_at TIMESTAMP NOT NULL
);
