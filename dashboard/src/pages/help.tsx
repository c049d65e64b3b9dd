import type { Principal } from "../access/principal.ts";
import { Layout } from "./layout.tsx";

/*
 * "Getting data in": where the numbers on the other pages come from, for a director looking at
 * an empty page and for whoever they forward it to. The full guide (docs/ingest.md) lives with
 * the ingest API; this page names the events and the path, not every field.
 */

const EVENTS: readonly (readonly [type: string, what: string])[] = [
  ["evoke.programme.registered", "a programme and its name"],
  ["evoke.therapist.registered", "a therapist, their programme and name"],
  ["evoke.client.enrolled", "a client (pseudonymous id) joins a programme: starts retention"],
  ["evoke.session.attended", "a session took place (also scheduled, missed, cancelled)"],
  ["evoke.readiness.measured", "a readiness ruler (importance, confidence, readiness)"],
  ["evoke.transcript.submitted", "a session's transcript: the coding service codes it with MITI 4.2.1"],
  ["evoke.fidelity.rated", "a human coder's MITI rating, which counts over the automatic one"],
  ["evoke.client.discharged", "a client leaves: completed, dropped out or transferred"],
];

export function HelpPage(props: { readonly principal: Principal }) {
  return (
    <Layout title="Getting data in" principal={props.principal}>
      <section class="panel prose" aria-labelledby="path-title">
        <h2 id="path-title">Where the numbers come from</h2>
        <p>
          Your intake, scheduling and recording systems send events to Evoke's <strong>ingest API</strong> (
          <code>POST /v1/events</code>, CloudEvents 1.0, with an API key from whoever runs Evoke). A transcript sent as{" "}
          <code>evoke.transcript.submitted</code> is coded automatically, usually within a minute, and then appears on
          the Sessions page and in every fidelity chart. Retention and readiness need enrolments, sessions attended and
          readiness measures.
        </p>
        <table>
          <caption>The events, and what each gives the dashboard</caption>
          <thead>
            <tr>
              <th scope="col">Event type</th>
              <th scope="col">What it says</th>
            </tr>
          </thead>
          <tbody>
            {EVENTS.map(([type, what]) => (
              <tr>
                <td>
                  <code>{type}</code>
                </td>
                <td>{what}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <section class="panel prose" aria-labelledby="docs-title">
        <h2 id="docs-title">The documentation</h2>
        <ul>
          <li>
            The integration guide, <code>docs/ingest.md</code> in the Evoke repository: authentication, every event type
            with an example, every error and how to retry. The ingest API also serves its description at{" "}
            <code>/openapi.json</code>.
          </li>
          <li>
            Reading results back: this dashboard's API, <a href="/api/v1/openapi.json">/api/v1/openapi.json</a> (guide:{" "}
            <code>docs/dashboard-api.md</code>).
          </li>
          <li>
            Trying it out: <code>npm start</code> runs everything locally with a demo clinic.
          </li>
        </ul>
      </section>
    </Layout>
  );
}
