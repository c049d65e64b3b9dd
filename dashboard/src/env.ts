import type { Principal } from "./access/principal.ts";
import type { AuditNote } from "./audit/trail.ts";

/** What middleware hands to handlers. */
export interface DashboardEnv {
  Variables: {
    requestId: string;
    /** Set by the authentication middleware; absent on public routes. */
    principal: Principal;
    /** Set on audited routes (audit/trail.ts): what the handler learnt about whose data it returned. */
    audit: AuditNote;
  };
}
