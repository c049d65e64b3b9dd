// The dashboard's public surface: the app (for tests and embedding) and the server.
export type { Capability, Principal } from "./access/principal.ts";
export { SessionStore } from "./access/sessions.ts";
export type { DashboardDeps } from "./api/endpoint.ts";
export { ENDPOINTS } from "./api/endpoints.ts";
export { openApiDocument } from "./api/openapi.ts";
export { createDashboardApp, type DashboardAppOptions } from "./app.tsx";
export type { PipelineSources } from "./pipeline/sources.ts";
export { type RunningDashboard, startDashboard } from "./server.ts";
