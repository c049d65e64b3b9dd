CREATE TABLE "dashboard_sessions" (
	"session_hash" text PRIMARY KEY NOT NULL,
	"principal_name" text NOT NULL,
	"principal_kind" text NOT NULL,
	"role" text NOT NULL,
	"programme_ids" text[],
	"id_token" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_seen_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE INDEX "dashboard_sessions_expires_at_index" ON "dashboard_sessions" USING btree ("expires_at");