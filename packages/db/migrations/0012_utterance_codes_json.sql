-- session_codings.utterance_codes was declared json in 0002 (it replaced a jsonb column), but
-- drizzle-kit emitted only the rename, so databases migrated since then hold jsonb: every
-- automatic coding was converted to PostgreSQL's binary form on insert (about 40% of the
-- sink's PostgreSQL time for a coding) although nothing ever queries inside it. This rewrites
-- the table once; jsonb's own text (one space after each comma) is what json then keeps.
ALTER TABLE "session_codings" ALTER COLUMN "utterance_codes" SET DATA TYPE json USING "utterance_codes"::json;
