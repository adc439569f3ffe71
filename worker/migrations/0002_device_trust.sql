-- Pairing and device trust (issue 9).

-- Joins that found a code but could not use it (the name was taken) count against the code; it dies
-- after a few, so one shown code can't be tried forever.
ALTER TABLE pairing_codes ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0;
-- A device's unused codes are deleted when it is signed out.
CREATE INDEX pairing_codes_creator ON pairing_codes(created_by);

-- Device names are unique among an account's signed-in devices (case-insensitive for ASCII), so no
-- device can take another's name. Names that already clash keep the oldest device's name as it is and
-- get a short suffix of their id on the others, before the index that forbids clashes exists.
UPDATE devices
   SET name = name || ' (' || substr(id, 5, 6) || ')'
 WHERE revoked_at IS NULL
   AND EXISTS (
     SELECT 1 FROM devices AS older
      WHERE older.user_id = devices.user_id
        AND older.revoked_at IS NULL
        AND older.name = devices.name COLLATE NOCASE
        AND (older.created_at < devices.created_at OR (older.created_at = devices.created_at AND older.id < devices.id)));
CREATE UNIQUE INDEX devices_user_name ON devices(user_id, name COLLATE NOCASE) WHERE revoked_at IS NULL;
