CREATE TABLE "annotations" (
	"annotation_id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"programme_id" text,
	"day" timestamp with time zone NOT NULL,
	"label" text NOT NULL,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "annotations_programme_id_day_index" ON "annotations" USING btree ("programme_id","day");