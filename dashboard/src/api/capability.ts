import { type Capability, can, type Principal, rolesWith } from "../access/principal.ts";
import { ProblemError } from "../http/problems.ts";

/** Refuses (403, naming the roles that may) a principal whose role lacks the capability. */
export function requireCapability(principal: Principal, capability: Capability): void {
  if (!can(principal, capability)) {
    throw new ProblemError(
      "forbidden",
      `This needs the ${rolesWith(capability)} role; your token "${principal.name}" is ${principal.role}.`,
    );
  }
}
