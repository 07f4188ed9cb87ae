-- Flashpoint store, schema version 1.
-- Rows map 1:1 to the records in flashpoint/records.py. Spans are Python str offsets into
-- articles.text, end-exclusive; strings such as a sentence's text are sliced from it, never copied.
-- `position` columns keep the order of a record's tuples so that loading rebuilds it exactly.

CREATE TABLE articles (
    id                 VARCHAR PRIMARY KEY,   -- Article.id (sha256 of text, 16 hex)
    record_id          VARCHAR NOT NULL,      -- Analysis.id (the input record's id)
    title              VARCHAR,
    author             VARCHAR,
    published          DATE,
    published_source   VARCHAR,
    outlet             VARCHAR,
    url                VARCHAR,
    language           VARCHAR NOT NULL,
    text               VARCHAR NOT NULL,
    analysed_at        TIMESTAMP NOT NULL,    -- UTC
    flashpoint_version VARCHAR NOT NULL
);
CREATE INDEX articles_record ON articles (record_id);

CREATE TABLE sentences (
    article_id    VARCHAR NOT NULL,
    idx           INTEGER NOT NULL,
    start         INTEGER NOT NULL,
    "end"         INTEGER NOT NULL,
    certainty     VARCHAR NOT NULL,
    cues          VARCHAR[] NOT NULL,
    attributed_to VARCHAR,
    PRIMARY KEY (article_id, idx)
);

-- Every resolved actor mention in the text. Filled once records.Analysis carries mentions.
CREATE TABLE mentions (
    article_id VARCHAR NOT NULL,
    position   INTEGER NOT NULL,
    start      INTEGER NOT NULL,
    "end"      INTEGER NOT NULL,
    key        VARCHAR NOT NULL,
    country    VARCHAR,
    org        VARCHAR,
    sector     VARCHAR,
    code       VARCHAR NOT NULL,
    name       VARCHAR NOT NULL,
    PRIMARY KEY (article_id, position)
);

CREATE TABLE actors (
    article_id VARCHAR NOT NULL,
    position   INTEGER NOT NULL,
    key        VARCHAR NOT NULL,
    name       VARCHAR NOT NULL,
    country    VARCHAR,
    org        VARCHAR,
    sector     VARCHAR,
    mentions   INTEGER NOT NULL,
    PRIMARY KEY (article_id, position)
);

CREATE TABLE events (
    id               VARCHAR NOT NULL,
    article_id       VARCHAR NOT NULL,
    position         INTEGER NOT NULL,
    sentence         INTEGER NOT NULL,
    trigger_start    INTEGER NOT NULL,
    trigger_end      INTEGER NOT NULL,
    type             VARCHAR NOT NULL,        -- PLOVER 2.0 type
    mode             VARCHAR,
    context          VARCHAR[] NOT NULL,
    cameo            VARCHAR NOT NULL,
    cameo_root       VARCHAR NOT NULL,        -- first two digits of cameo
    quad_class       INTEGER NOT NULL,
    goldstein        DOUBLE NOT NULL,
    date_value       VARCHAR,                 -- "2022-09-13" | "2022-02" | "2022"
    date_granularity VARCHAR,
    date_start       DATE,                    -- first and last day date_value covers,
    date_end         DATE,                    -- so month and year dates filter by range
    date_basis       VARCHAR NOT NULL,
    date_text_start  INTEGER,
    date_text_end    INTEGER,
    location_name    VARCHAR,                 -- NULL when the event has no location
    location_country VARCHAR,
    lat              DOUBLE,
    lon              DOUBLE,
    loc_start        INTEGER,
    loc_end          INTEGER,
    certainty        VARCHAR NOT NULL,
    cues             VARCHAR[] NOT NULL,
    attributed_to    VARCHAR,
    confidence       DOUBLE NOT NULL,
    PRIMARY KEY (article_id, position)
);
CREATE INDEX events_id ON events (id);
CREATE INDEX events_date ON events (date_start, date_end);

CREATE TABLE event_actors (
    event_id       VARCHAR NOT NULL,
    article_id     VARCHAR NOT NULL,
    event_position INTEGER NOT NULL,
    role           VARCHAR NOT NULL CHECK (role IN ('source', 'target')),
    position       INTEGER NOT NULL,
    start          INTEGER NOT NULL,
    "end"          INTEGER NOT NULL,
    key            VARCHAR NOT NULL,
    country        VARCHAR,
    org            VARCHAR,
    sector         VARCHAR,
    code           VARCHAR NOT NULL,
    name           VARCHAR NOT NULL,
    PRIMARY KEY (article_id, event_position, role, position)
);
CREATE INDEX event_actors_code ON event_actors (code);
CREATE INDEX event_actors_country ON event_actors (country);
CREATE INDEX event_actors_org ON event_actors (org);

CREATE TABLE profiles (
    article_id VARCHAR PRIMARY KEY,
    labels     JSON NOT NULL,                 -- {"asserted": 0.31, ...}
    top_cues   JSON NOT NULL,                 -- [["likely", 6], ...]
    cited      JSON NOT NULL                  -- [["the foreign ministry", 2], ...]
);

-- What was not analysed: whole documents (record_skipped, article_id NULL) and the parts of
-- an analysed article listed in Analysis.skipped (article_id set).
CREATE TABLE skipped (
    origin     VARCHAR NOT NULL,              -- file, URL or record id
    article_id VARCHAR,
    position   INTEGER,
    reason     VARCHAR NOT NULL,
    detail     VARCHAR NOT NULL,
    "at"       TIMESTAMP NOT NULL             -- UTC
);
CREATE INDEX skipped_article ON skipped (article_id);
