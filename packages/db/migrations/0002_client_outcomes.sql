CREATE TABLE "client_outcomes" (
	"client_id" text NOT NULL,
	"programme_id" text NOT NULL,
	"enrolled_at" timestamp with time zone NOT NULL,
	"next_enrolled_at" timestamp with time zone,
	"referral_source" text,
	"focus" text,
	"tags" text[] DEFAULT '{}' NOT NULL,
	"discharged_at" timestamp with time zone,
	"discharge_reason" text,
	"therapist_id" text,
	"sessions_attended" integer NOT NULL,
	"sessions_missed" integer NOT NULL,
	"sessions_cancelled" integer NOT NULL,
	"first_attended_at" timestamp with time zone,
	"last_attended_at" timestamp with time zone,
	"coded_sessions" integer NOT NULL,
	"technical_mean" real,
	"relational_mean" real,
	"percent_complex_reflections_mean" real,
	"reflection_to_question_mean" real,
	CONSTRAINT "client_outcomes_client_id_programme_id_enrolled_at_pk" PRIMARY KEY("client_id","programme_id","enrolled_at")
);
--> statement-breakpoint
CREATE TABLE "readiness_changes" (
	"client_id" text NOT NULL,
	"programme_id" text NOT NULL,
	"enrolled_at" timestamp with time zone NOT NULL,
	"instrument" text NOT NULL,
	"item" text NOT NULL,
	"measurements" integer NOT NULL,
	"first_value" real NOT NULL,
	"first_at" timestamp with time zone NOT NULL,
	"latest_value" real NOT NULL,
	"latest_at" timestamp with time zone NOT NULL,
	"scale_min" real NOT NULL,
	"scale_max" real NOT NULL,
	"change" real NOT NULL,
	CONSTRAINT "readiness_changes_client_id_programme_id_enrolled_at_instrument_item_pk" PRIMARY KEY("client_id","programme_id","enrolled_at","instrument","item")
);
--> statement-breakpoint
ALTER TABLE "session_codings" RENAME COLUMN "utterances" TO "utterance_codes";--> statement-breakpoint
ALTER TABLE "transcripts" ALTER COLUMN "utterances" SET DATA TYPE json;--> statement-breakpoint
CREATE INDEX "client_outcomes_programme_id_enrolled_at_index" ON "client_outcomes" USING btree ("programme_id","enrolled_at");--> statement-breakpoint
CREATE INDEX "client_outcomes_therapist_id_index" ON "client_outcomes" USING btree ("therapist_id");--> statement-breakpoint
CREATE INDEX "client_outcomes_enrolled_at_index" ON "client_outcomes" USING btree ("enrolled_at");--> statement-breakpoint
CREATE INDEX "readiness_changes_instrument_item_programme_id_index" ON "readiness_changes" USING btree ("instrument","item","programme_id");