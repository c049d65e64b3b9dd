CREATE TABLE "processed_event_minutes" (
	"minute" timestamp with time zone NOT NULL,
	"event_type" text NOT NULL,
	"events" integer NOT NULL,
	CONSTRAINT "processed_event_minutes_minute_event_type_pk" PRIMARY KEY("minute","event_type")
);
--> statement-breakpoint
-- The ledger's events so far, counted once; the sink keeps the counts from here on.
INSERT INTO "processed_event_minutes" ("minute", "event_type", "events")
SELECT date_trunc('minute', "processed_at", 'UTC'), "event_type", count(*)::int
FROM "processed_events"
GROUP BY 1, 2;
--> statement-breakpoint
DROP INDEX "processed_events_processed_at_index";