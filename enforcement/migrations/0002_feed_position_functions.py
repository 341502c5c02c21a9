"""PostgreSQL functions that hand out change-feed positions, so a signup can take one inside its own statement.

`enforcement_lock_feed()` takes the advisory lock that serialises feed writes until the
transaction ends. `enforcement_next_feed_position(expected_policy_version)` takes it, then
reads the feed's head and the newest policy version. A VOLATILE function's queries each
get a fresh snapshot, so what it reads includes every writer that held the lock before:
the positions it hands out become visible in increasing order, as `lock_feed()` and
`MAX(seq) + 1` guarantee for the ORM path. A newer policy than the caller scored with
raises SQLSTATE RS001 and the whole statement fails, to be retried with that policy.
"""

from django.db import migrations

# Any fixed bigint: the key of the one advisory lock on the change feed.
FEED_LOCK_KEY = 7308891874115413297

CREATE = f"""
CREATE OR REPLACE FUNCTION enforcement_lock_feed() RETURNS void
LANGUAGE sql VOLATILE AS $$ SELECT pg_advisory_xact_lock({FEED_LOCK_KEY}) $$;

CREATE OR REPLACE FUNCTION enforcement_next_feed_position(expected_policy_version integer) RETURNS bigint
LANGUAGE plpgsql VOLATILE AS $$
BEGIN
    PERFORM enforcement_lock_feed();
    IF COALESCE((SELECT MAX(version) FROM enforcement_enforcementpolicy), 0) <> expected_policy_version THEN
        RAISE EXCEPTION 'enforcement policy % is no longer the newest', expected_policy_version
            USING ERRCODE = 'RS001';
    END IF;
    RETURN COALESCE((SELECT MAX(seq) FROM enforcement_enforcement), 0) + 1;
END $$;
"""
DROP = """
DROP FUNCTION IF EXISTS enforcement_next_feed_position(integer);
DROP FUNCTION IF EXISTS enforcement_lock_feed();
"""


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)  # the SQL's % is plpgsql's, not a placeholder


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("enforcement", "0001_initial")]

    operations = [migrations.RunPython(create, drop)]
