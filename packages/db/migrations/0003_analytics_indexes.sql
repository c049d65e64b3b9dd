DROP INDEX "session_codings_session_id_index";--> statement-breakpoint
ALTER TABLE "client_outcomes" ADD COLUMN "baseline_readiness" real;--> statement-breakpoint
ALTER TABLE "client_outcomes" ADD COLUMN "enrolled_day" double precision;--> statement-breakpoint
ALTER TABLE "client_outcomes" ADD COLUMN "last_attended_day" double precision;--> statement-breakpoint
ALTER TABLE "client_outcomes" ADD COLUMN "discharged_day" double precision;--> statement-breakpoint
ALTER TABLE "client_outcomes" ADD COLUMN "next_enrolled_day" double precision;--> statement-breakpoint
ALTER TABLE "readiness_changes" ADD COLUMN "therapist_id" text;--> statement-breakpoint
ALTER TABLE "readiness_changes" ADD COLUMN "referral_source" text;--> statement-breakpoint
ALTER TABLE "readiness_changes" ADD COLUMN "focus" text;--> statement-breakpoint
ALTER TABLE "readiness_changes" ADD COLUMN "tags" text[] DEFAULT '{}' NOT NULL;--> statement-breakpoint
ALTER TABLE "readiness_changes" ADD COLUMN "coded_sessions" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "readiness_changes" ADD COLUMN "technical_mean" real;--> statement-breakpoint
ALTER TABLE "readiness_changes" ADD COLUMN "relational_mean" real;--> statement-breakpoint
ALTER TABLE "session_fidelity" ADD COLUMN "duration_minutes" real;--> statement-breakpoint
CREATE INDEX "session_codings_session_id_kind_coded_at_index" ON "session_codings" USING btree ("session_id","kind","coded_at");--> statement-breakpoint
CREATE INDEX "session_codings_human_session_id_index" ON "session_codings" USING btree ("session_id") WHERE "session_codings"."kind" = 'human';--> statement-breakpoint
CREATE INDEX "session_fidelity_session_time_index" ON "session_fidelity" USING btree ("session_time");--> statement-breakpoint
-- Backfill what existing rollups lack (new rows get it from the sink's rebuilds).
UPDATE "client_outcomes" SET
  "enrolled_day" = date_part('epoch', "enrolled_at") / 86400,
  "last_attended_day" = date_part('epoch', "last_attended_at" - "enrolled_at") / 86400,
  "discharged_day" = date_part('epoch', "discharged_at" - "enrolled_at") / 86400,
  "next_enrolled_day" = date_part('epoch', "next_enrolled_at" - "enrolled_at") / 86400;--> statement-breakpoint
ALTER TABLE "client_outcomes" ALTER COLUMN "enrolled_day" SET NOT NULL;--> statement-breakpoint
UPDATE "readiness_changes" r SET "therapist_id" = o."therapist_id", "referral_source" = o."referral_source",
  "focus" = o."focus", "tags" = o."tags", "coded_sessions" = o."coded_sessions",
  "technical_mean" = o."technical_mean", "relational_mean" = o."relational_mean"
FROM "client_outcomes" o
WHERE r."client_id" = o."client_id" AND r."programme_id" = o."programme_id" AND r."enrolled_at" = o."enrolled_at";--> statement-breakpoint
UPDATE "client_outcomes" o SET "baseline_readiness" = r."latest_value" - r."change"
FROM "readiness_changes" r
WHERE r."client_id" = o."client_id" AND r."programme_id" = o."programme_id" AND r."enrolled_at" = o."enrolled_at"
  AND r."instrument" = 'readiness-ruler' AND r."item" = 'readiness';--> statement-breakpoint
-- How many weeks, months and quarters the sessions span: without these the planner guesses a
-- group per row and will not aggregate QI series in parallel (bench/analytics). Not expressible
-- in the drizzle schema, so written here by hand.
CREATE STATISTICS "session_fidelity_week_statistics" ON (date_trunc('week', "session_time" AT TIME ZONE 'UTC')) FROM "session_fidelity";--> statement-breakpoint
CREATE STATISTICS "session_fidelity_month_statistics" ON (date_trunc('month', "session_time" AT TIME ZONE 'UTC')) FROM "session_fidelity";--> statement-breakpoint
CREATE STATISTICS "session_fidelity_quarter_statistics" ON (date_trunc('quarter', "session_time" AT TIME ZONE 'UTC')) FROM "session_fidelity";
--> statement-breakpoint
UPDATE "session_fidelity" f SET "duration_minutes" = s."duration_minutes" FROM "sessions" s WHERE s."session_id" = f."session_id";
