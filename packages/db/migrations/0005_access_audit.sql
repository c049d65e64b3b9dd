CREATE TABLE "access_audit" (
	"audit_id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "access_audit_audit_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"actor" text,
	"actor_kind" text NOT NULL,
	"role" text,
	"action" text NOT NULL,
	"method" text NOT NULL,
	"path" text NOT NULL,
	"programme_id" text,
	"session_id" text,
	"client_id" text,
	"outcome" text NOT NULL,
	"status" integer NOT NULL,
	"request_id" text,
	CONSTRAINT "access_audit_outcome" CHECK ("access_audit"."outcome" in ('allowed', 'denied', 'failed'))
);
--> statement-breakpoint
CREATE INDEX "access_audit_at_index" ON "access_audit" USING btree ("at");--> statement-breakpoint
CREATE INDEX "access_audit_actor_at_index" ON "access_audit" USING btree ("actor","at");--> statement-breakpoint
CREATE INDEX "access_audit_action_at_index" ON "access_audit" USING btree ("action","at");--> statement-breakpoint
-- Hand-written below (before release): the trail is append-only. Rows may be removed only by
-- purge_access_audit(days), the retention purge; the trigger recognises it by the call stack
-- (PG_CONTEXT), which the application cannot forge the way it could set a session variable.
-- Both functions pin search_path, so the stack names the purge function schema-qualified.
CREATE FUNCTION "access_audit_refuse_change"() RETURNS trigger
LANGUAGE plpgsql SET search_path = pg_catalog AS $$
DECLARE
	stack text;
BEGIN
	IF TG_OP = 'DELETE' THEN
		GET DIAGNOSTICS stack = PG_CONTEXT;
		IF stack LIKE '%function public.purge_access_audit(integer) %' THEN
			RETURN OLD;
		END IF;
	END IF;
	RAISE EXCEPTION 'access_audit is append-only: % refused (rows leave only through purge_access_audit)', TG_OP
		USING ERRCODE = 'insufficient_privilege';
END
$$;
--> statement-breakpoint
CREATE TRIGGER "access_audit_append_only" BEFORE UPDATE OR DELETE ON "access_audit"
	FOR EACH ROW EXECUTE FUNCTION "access_audit_refuse_change"();
--> statement-breakpoint
CREATE TRIGGER "access_audit_no_truncate" BEFORE TRUNCATE ON "access_audit"
	FOR EACH STATEMENT EXECUTE FUNCTION "access_audit_refuse_change"();
--> statement-breakpoint
-- The retention purge: removes rows older than `days` (at least 30, so a slip cannot empty the
-- trail) and returns how many. SECURITY DEFINER so a deployment can give the application a role
-- that does not own the table and still let it run the purge.
CREATE FUNCTION "purge_access_audit"(days integer) RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $$
DECLARE
	removed bigint;
BEGIN
	IF days IS NULL OR days < 30 THEN
		RAISE EXCEPTION 'purge_access_audit: days must be 30 or more, got %', days;
	END IF;
	DELETE FROM public.access_audit WHERE at < now() - make_interval(days => days);
	GET DIAGNOSTICS removed = ROW_COUNT;
	RETURN removed;
END
$$;
