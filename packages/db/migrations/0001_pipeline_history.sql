CREATE TABLE "clients" (
	"client_id" text PRIMARY KEY NOT NULL,
	"first_seen_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "discharge_events" (
	"source" text NOT NULL,
	"event_id" text NOT NULL,
	"client_id" text NOT NULL,
	"programme_id" text NOT NULL,
	"discharged_at" timestamp with time zone NOT NULL,
	"reason" text NOT NULL,
	CONSTRAINT "discharge_events_source_event_id_pk" PRIMARY KEY("source","event_id")
);
--> statement-breakpoint
CREATE TABLE "enrolment_events" (
	"source" text NOT NULL,
	"event_id" text NOT NULL,
	"client_id" text NOT NULL,
	"programme_id" text NOT NULL,
	"enrolled_at" timestamp with time zone NOT NULL,
	"referral_source" text,
	"focus" text,
	"tags" text[] DEFAULT '{}' NOT NULL,
	CONSTRAINT "enrolment_events_source_event_id_pk" PRIMARY KEY("source","event_id")
);
--> statement-breakpoint
CREATE TABLE "episodes" (
	"client_id" text NOT NULL,
	"programme_id" text NOT NULL,
	"enrolled_at" timestamp with time zone NOT NULL,
	"referral_source" text,
	"focus" text,
	"tags" text[] DEFAULT '{}' NOT NULL,
	"discharged_at" timestamp with time zone,
	"discharge_reason" text,
	CONSTRAINT "episodes_client_id_programme_id_enrolled_at_pk" PRIMARY KEY("client_id","programme_id","enrolled_at")
);
--> statement-breakpoint
CREATE TABLE "programmes" (
	"programme_id" text PRIMARY KEY NOT NULL,
	"name" text,
	"name_time" timestamp with time zone,
	"first_seen_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "readiness_measurements" (
	"source" text NOT NULL,
	"event_id" text NOT NULL,
	"item" text NOT NULL,
	"client_id" text NOT NULL,
	"programme_id" text NOT NULL,
	"session_id" text,
	"instrument" text NOT NULL,
	"value" real NOT NULL,
	"scale_min" real NOT NULL,
	"scale_max" real NOT NULL,
	"measured_at" timestamp with time zone NOT NULL,
	CONSTRAINT "readiness_measurements_source_event_id_item_pk" PRIMARY KEY("source","event_id","item")
);
--> statement-breakpoint
CREATE TABLE "session_codings" (
	"coding_id" text PRIMARY KEY NOT NULL,
	"session_id" text NOT NULL,
	"kind" text NOT NULL,
	"model_version" text,
	"coder_id" text,
	"coded_at" timestamp with time zone NOT NULL,
	"client_id" text,
	"therapist_id" text,
	"programme_id" text,
	"session_time" timestamp with time zone NOT NULL,
	"thresholds" text,
	"volleys" integer,
	"segment_minutes" real,
	"technical" real NOT NULL,
	"relational" real NOT NULL,
	"cultivating_change_talk" real NOT NULL,
	"softening_sustain_talk" real NOT NULL,
	"partnership" real NOT NULL,
	"empathy" real NOT NULL,
	"reflection_to_question" real,
	"percent_complex_reflections" real,
	"percent_change_talk" real,
	"giving_information" integer NOT NULL,
	"persuade" integer NOT NULL,
	"persuade_with_permission" integer NOT NULL,
	"question" integer NOT NULL,
	"simple_reflection" integer NOT NULL,
	"complex_reflection" integer NOT NULL,
	"affirm" integer NOT NULL,
	"seeking_collaboration" integer NOT NULL,
	"emphasizing_autonomy" integer NOT NULL,
	"confront" integer NOT NULL,
	"utterances" jsonb
);
--> statement-breakpoint
CREATE TABLE "session_events" (
	"source" text NOT NULL,
	"event_id" text NOT NULL,
	"session_id" text NOT NULL,
	"status" text NOT NULL,
	"event_time" timestamp with time zone NOT NULL,
	"client_id" text NOT NULL,
	"therapist_id" text,
	"programme_id" text NOT NULL,
	"scheduled_at" timestamp with time zone,
	"occurred_at" timestamp with time zone,
	"duration_minutes" real,
	"cancelled_by" text,
	CONSTRAINT "session_events_source_event_id_pk" PRIMARY KEY("source","event_id")
);
--> statement-breakpoint
CREATE TABLE "session_fidelity" (
	"session_id" text PRIMARY KEY NOT NULL,
	"coding_id" text NOT NULL,
	"kind" text NOT NULL,
	"client_id" text,
	"therapist_id" text,
	"programme_id" text,
	"session_time" timestamp with time zone NOT NULL,
	"technical" real NOT NULL,
	"relational" real NOT NULL,
	"cultivating_change_talk" real NOT NULL,
	"softening_sustain_talk" real NOT NULL,
	"partnership" real NOT NULL,
	"empathy" real NOT NULL,
	"reflection_to_question" real,
	"percent_complex_reflections" real,
	"percent_change_talk" real,
	"giving_information" integer NOT NULL,
	"persuade" integer NOT NULL,
	"persuade_with_permission" integer NOT NULL,
	"question" integer NOT NULL,
	"simple_reflection" integer NOT NULL,
	"complex_reflection" integer NOT NULL,
	"affirm" integer NOT NULL,
	"seeking_collaboration" integer NOT NULL,
	"emphasizing_autonomy" integer NOT NULL,
	"confront" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sessions" (
	"session_id" text PRIMARY KEY NOT NULL,
	"client_id" text NOT NULL,
	"therapist_id" text,
	"programme_id" text NOT NULL,
	"status" text NOT NULL,
	"status_time" timestamp with time zone NOT NULL,
	"scheduled_at" timestamp with time zone,
	"occurred_at" timestamp with time zone,
	"duration_minutes" real,
	"cancelled_by" text,
	"event_count" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "therapists" (
	"therapist_id" text PRIMARY KEY NOT NULL,
	"programme_id" text,
	"display_name" text,
	"name_time" timestamp with time zone,
	"first_seen_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "transcripts" (
	"source" text NOT NULL,
	"event_id" text NOT NULL,
	"session_id" text NOT NULL,
	"client_id" text NOT NULL,
	"therapist_id" text NOT NULL,
	"programme_id" text NOT NULL,
	"language" text NOT NULL,
	"change_goal" text,
	"utterance_count" integer NOT NULL,
	"utterances" jsonb,
	"submitted_at" timestamp with time zone NOT NULL,
	"stored_at" timestamp with time zone DEFAULT now() NOT NULL,
	"text_purged_at" timestamp with time zone,
	CONSTRAINT "transcripts_source_event_id_pk" PRIMARY KEY("source","event_id")
);
--> statement-breakpoint
CREATE INDEX "discharge_events_client_id_programme_id_index" ON "discharge_events" USING btree ("client_id","programme_id");--> statement-breakpoint
CREATE INDEX "enrolment_events_client_id_programme_id_index" ON "enrolment_events" USING btree ("client_id","programme_id");--> statement-breakpoint
CREATE INDEX "episodes_programme_id_enrolled_at_index" ON "episodes" USING btree ("programme_id","enrolled_at");--> statement-breakpoint
CREATE INDEX "readiness_measurements_client_id_instrument_item_measured_at_index" ON "readiness_measurements" USING btree ("client_id","instrument","item","measured_at");--> statement-breakpoint
CREATE INDEX "readiness_measurements_programme_id_index" ON "readiness_measurements" USING btree ("programme_id");--> statement-breakpoint
CREATE INDEX "session_codings_session_id_index" ON "session_codings" USING btree ("session_id");--> statement-breakpoint
CREATE INDEX "session_events_session_id_index" ON "session_events" USING btree ("session_id");--> statement-breakpoint
CREATE INDEX "session_fidelity_programme_id_session_time_index" ON "session_fidelity" USING btree ("programme_id","session_time");--> statement-breakpoint
CREATE INDEX "session_fidelity_therapist_id_session_time_index" ON "session_fidelity" USING btree ("therapist_id","session_time");--> statement-breakpoint
CREATE INDEX "session_fidelity_client_id_index" ON "session_fidelity" USING btree ("client_id");--> statement-breakpoint
CREATE INDEX "sessions_programme_id_occurred_at_index" ON "sessions" USING btree ("programme_id","occurred_at");--> statement-breakpoint
CREATE INDEX "sessions_therapist_id_occurred_at_index" ON "sessions" USING btree ("therapist_id","occurred_at");--> statement-breakpoint
CREATE INDEX "sessions_client_id_programme_id_index" ON "sessions" USING btree ("client_id","programme_id");--> statement-breakpoint
CREATE INDEX "therapists_programme_id_index" ON "therapists" USING btree ("programme_id");--> statement-breakpoint
CREATE INDEX "transcripts_session_id_index" ON "transcripts" USING btree ("session_id");--> statement-breakpoint
CREATE INDEX "transcripts_stored_at_index" ON "transcripts" USING btree ("stored_at");