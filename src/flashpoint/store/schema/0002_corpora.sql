-- Flashpoint store, schema version 2: corpora at scale (issue 7).
-- Resumable ingest (documents), near-duplicate articles (articles.duplicate_of, minhashes,
-- minhash_bands) and incidents: events of several articles reporting the same happening.

-- The original an article near-duplicates (wire copy, syndication, light rewrite), and the
-- estimated Jaccard similarity of their word shingles. NULL: the article is an original.
-- Every copy points at the root of its group, never at another copy.
ALTER TABLE articles ADD COLUMN duplicate_of VARCHAR;
ALTER TABLE articles ADD COLUMN duplicate_similarity DOUBLE;

-- Every input document `flashpoint ingest` has finished with, committed in the same transaction
-- as its analysis: a resumed run skips the documents found here with the same content hash.
CREATE TABLE documents (
    key          VARCHAR PRIMARY KEY,  -- absolute path, plus ":N" for the Nth record of a JSON Lines or CSV file
    origin       VARCHAR NOT NULL,     -- the document as named in messages (the path as given)
    record_id    VARCHAR,              -- the record's own id (JSON Lines, CSV)
    content_hash VARCHAR,              -- sha256 of the document's content, 16 hex; NULL when unreadable
    article_id   VARCHAR,              -- the article it became (NULL when skipped)
    status       VARCHAR NOT NULL CHECK (status IN ('analysed', 'copy', 'skipped')),
                                       -- copy: same text as an article already stored
    reason       VARCHAR,              -- error code when skipped
    done_at      TIMESTAMP NOT NULL    -- UTC
);
CREATE INDEX documents_hash ON documents (content_hash);
CREATE INDEX documents_article ON documents (article_id);

-- MinHash signature of each article's word shingles (dedup.py), and its LSH band keys: articles
-- sharing a band key are candidate near-duplicates. Kept in the database, not in memory, so that
-- a corpus of any size deduplicates in flat memory and a resumed run sees what came before.
CREATE TABLE minhashes (
    article_id VARCHAR PRIMARY KEY,
    words      INTEGER NOT NULL,       -- words in the text (short texts are not deduplicated)
    signature  UBIGINT[] NOT NULL
);
CREATE TABLE minhash_bands (
    band       SMALLINT NOT NULL,
    key        BIGINT NOT NULL,        -- hash of the band's rows of the signature
    article_id VARCHAR NOT NULL
);
CREATE INDEX minhash_bands_key ON minhash_bands (key);

-- Settings a database was built with that later runs must share (dedup signature parameters).
CREATE TABLE corpus_meta (
    name  VARCHAR PRIMARY KEY,
    value VARCHAR NOT NULL
);

-- Incidents (incidents.py): events from different articles that report the same happening.
CREATE TABLE incidents (
    id               VARCHAR PRIMARY KEY,   -- stable: hash of its first event's article and position
    type             VARCHAR NOT NULL,      -- the PLOVER type most of its events have
    quad_class       INTEGER NOT NULL,
    first_date       DATE,                  -- earliest and latest day its events' dates cover
    last_date        DATE,
    source_codes     VARCHAR[] NOT NULL,    -- actor codes of its events, most frequent first
    target_codes     VARCHAR[] NOT NULL,
    location_name    VARCHAR,
    location_country VARCHAR,
    events           INTEGER NOT NULL,      -- events merged into it
    source_count     INTEGER NOT NULL,      -- independent articles: a near-duplicate counts with its original
    reports          INTEGER NOT NULL,      -- articles, copies included
    sources          VARCHAR[] NOT NULL,    -- outlets (or URL hosts) that reported it, where known
    first_report     DATE,                  -- earliest and latest publication date of those articles
    last_report      DATE,
    certainty        VARCHAR NOT NULL,      -- the strongest certainty among its events
    confidence       DOUBLE NOT NULL        -- the highest confidence among its events
);
CREATE INDEX incidents_date ON incidents (first_date, last_date);

CREATE TABLE incident_events (
    incident_id    VARCHAR NOT NULL,
    event_id       VARCHAR NOT NULL,
    article_id     VARCHAR NOT NULL,
    event_position INTEGER NOT NULL,
    PRIMARY KEY (article_id, event_position)
);
CREATE INDEX incident_events_incident ON incident_events (incident_id);
