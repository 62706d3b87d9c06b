-- Shared ground for the resident's neighbourhood (issue 11), laid before the
-- features that use it so each can add its own tables on top.
--
-- 1. Reports of the new kinds: events, help requests and photos. The columns
--    come here without their foreign keys (the tables do not exist yet); the
--    migration that creates each table adds its key. One constraint lists
--    every subject, so no later migration has to rewrite it.
ALTER TABLE reports
    ADD COLUMN event_id        BIGINT,
    ADD COLUMN help_request_id BIGINT,
    ADD COLUMN photo_id        BIGINT,
    DROP CONSTRAINT reports_one_subject,
    ADD CONSTRAINT reports_one_subject
        CHECK (num_nonnulls(signal_id, update_id, asset_id, event_id, help_request_id, photo_id) = 1);
CREATE UNIQUE INDEX reports_event_once ON reports (event_id, reporter_id) WHERE event_id IS NOT NULL;
CREATE UNIQUE INDEX reports_help_request_once ON reports (help_request_id, reporter_id) WHERE help_request_id IS NOT NULL;
CREATE UNIQUE INDEX reports_photo_once ON reports (photo_id, reporter_id) WHERE photo_id IS NOT NULL;

-- 2. The neighbourhoods near a home: the home itself (rank 0), then the
--    other neighbourhoods of its district, nearest centroid first (an
--    equirectangular distance is exact enough within one district); those
--    without a centroid come last, by name. "Wie kan helpen?" and help
--    between neighbours both read "neighbouring" this way, so they agree.
CREATE FUNCTION nearby_neighbourhoods(home BIGINT)
RETURNS TABLE (neighbourhood_id BIGINT, distance_rank INT)
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT n.id,
           (row_number() OVER (ORDER BY n.id <> h.id,
               (n.centroid_lat - h.centroid_lat) ^ 2
                 + ((n.centroid_lon - h.centroid_lon) * cos(radians(h.centroid_lat))) ^ 2 NULLS LAST,
               n.name, n.id) - 1)::int
    FROM neighbourhoods h
    JOIN neighbourhoods n ON n.district_id = h.district_id
    WHERE h.id = home
$$;
