CREATE TABLE IF NOT EXISTS "annotations" (
	"annotation_id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"programme_id" text,
	"day" timestamp with time zone NOT NULL,
	"label" text NOT NULL,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "annotations_programme_id_day_index" ON "annotations" USING btree ("programme_id","day");--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "processed_events_processed_at_index" ON "processed_events" USING btree ("processed_at");--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "session_codings_coded_at_index" ON "session_codings" USING btree ("coded_at");