CREATE TABLE "retention_rollups" (
	"programme_id" text NOT NULL,
	"referral_source" text NOT NULL,
	"technical_level" smallint NOT NULL,
	"relational_level" smallint NOT NULL,
	"enrolled_month" date NOT NULL,
	"ended" boolean NOT NULL,
	"episodes" integer NOT NULL,
	"attended_sum" bigint NOT NULL,
	"attended_sum_squares" bigint NOT NULL,
	"eligible30" integer NOT NULL,
	"retained30" integer NOT NULL,
	"dropped30" integer NOT NULL,
	"eligible60" integer NOT NULL,
	"retained60" integer NOT NULL,
	"dropped60" integer NOT NULL,
	"eligible90" integer NOT NULL,
	"retained90" integer NOT NULL,
	"dropped90" integer NOT NULL,
	CONSTRAINT "retention_rollups_pk" PRIMARY KEY("programme_id","referral_source","technical_level","relational_level","enrolled_month","ended")
);
--> statement-breakpoint
CREATE TABLE "retention_survival_rollups" (
	"referral_source" text NOT NULL,
	"technical_level" smallint NOT NULL,
	"relational_level" smallint NOT NULL,
	"days" integer NOT NULL,
	"event" boolean NOT NULL,
	"episodes" integer NOT NULL,
	CONSTRAINT "retention_survival_rollups_pk" PRIMARY KEY("referral_source","technical_level","relational_level","days","event")
);
--> statement-breakpoint
CREATE INDEX "retention_rollups_empty_index" ON "retention_rollups" USING btree ("episodes") WHERE "retention_rollups"."episodes" = 0;--> statement-breakpoint
CREATE INDEX "retention_survival_rollups_empty_index" ON "retention_survival_rollups" USING btree ("episodes") WHERE "retention_survival_rollups"."episodes" = 0;--> statement-breakpoint
CREATE INDEX "client_outcomes_enrolled_day_index" ON "client_outcomes" USING btree ("enrolled_day");--> statement-breakpoint
CREATE INDEX "client_outcomes_end_day_index" ON "client_outcomes" USING btree (("enrolled_day" + least("discharged_day", "next_enrolled_day")));--> statement-breakpoint
CREATE INDEX "client_outcomes_in_care_index" ON "client_outcomes" USING btree ("enrolled_day","programme_id","referral_source","coded_sessions","technical_mean","relational_mean") WHERE "client_outcomes"."discharged_day" is null and "client_outcomes"."next_enrolled_day" is null;