import type { Principal } from "./access/principal.ts";

/** What middleware hands to handlers. */
export interface DashboardEnv {
  Variables: {
    requestId: string;
    /** Set by the authentication middleware; absent on public routes. */
    principal: Principal;
  };
}
