CREATE TABLE "fidelity_rollups" (
	"period" text NOT NULL,
	"period_start" timestamp NOT NULL,
	"programme_id" text NOT NULL,
	"therapist_id" text NOT NULL,
	"kind" text NOT NULL,
	"sessions" integer NOT NULL,
	"technical_n" integer NOT NULL,
	"technical_sum" double precision NOT NULL,
	"technical_sum_squares" double precision NOT NULL,
	"technical_fair" integer NOT NULL,
	"technical_good" integer NOT NULL,
	"relational_n" integer NOT NULL,
	"relational_sum" double precision NOT NULL,
	"relational_sum_squares" double precision NOT NULL,
	"relational_fair" integer NOT NULL,
	"relational_good" integer NOT NULL,
	"percent_complex_reflections_n" integer NOT NULL,
	"percent_complex_reflections_sum" double precision NOT NULL,
	"percent_complex_reflections_sum_squares" double precision NOT NULL,
	"percent_complex_reflections_fair" integer NOT NULL,
	"percent_complex_reflections_good" integer NOT NULL,
	"reflection_to_question_n" integer NOT NULL,
	"reflection_to_question_sum" double precision NOT NULL,
	"reflection_to_question_sum_squares" double precision NOT NULL,
	"reflection_to_question_fair" integer NOT NULL,
	"reflection_to_question_good" integer NOT NULL,
	CONSTRAINT "fidelity_rollups_period_programme_id_therapist_id_period_start_kind_pk" PRIMARY KEY("period","programme_id","therapist_id","period_start","kind")
);
--> statement-breakpoint
CREATE INDEX "fidelity_rollups_period_therapist_id_index" ON "fidelity_rollups" USING btree ("period","therapist_id");--> statement-breakpoint
CREATE INDEX "fidelity_rollups_period_period_start_index" ON "fidelity_rollups" USING btree ("period","period_start");