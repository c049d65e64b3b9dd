import { tableOf } from "../api/endpoint.ts";
import { pipelineEndpoint } from "../api/pipeline-endpoints.ts";
import { load } from "../api/router.ts";
import { barChart, countsOverTime } from "../charts/charts.ts";
import { ChartPanel, DataTable } from "./components.tsx";
import type { PageContext } from "./context.ts";
import { Layout } from "./layout.tsx";

export async function PipelinePage({ deps, principal, params }: PageContext) {
  const query = { hours: params.hours ?? "24" };
  const health = await load(deps, principal, pipelineEndpoint, query);
  const { activity, consumerLag, deadLetters } = health;
  const lagRows = consumerLag.available
    ? consumerLag.value.flatMap((group) =>
        group.partitions.map((partition) => ({
          label: `${group.groupId} · ${partition.topic}[${partition.partition}]`,
          value: partition.lag,
        })),
      )
    : [];
  return (
    <Layout title="Pipeline health" principal={principal} current="/pipeline">
      <ChartPanel
        id="activity"
        title={`Events recorded per hour, last ${query.hours} hours`}
        svg={countsOverTime(
          activity.eventsPerHour.map((row) => ({ time: new Date(row.hour), series: row.type, count: row.events })),
          "Events per hour",
          "Events recorded in PostgreSQL per hour by event type",
        )}
        table={{
          columns: ["hour", "type", "events"],
          rows: activity.eventsPerHour.map((row) => [row.hour, row.type, row.events]),
        }}
        api="/api/v1/pipeline"
        apiParams={query}
        notes="Events that reached the database (the idempotency ledger), by CloudEvents type: what ingest accepted once coding and aggregation have caught up."
      />
      <section class="panel" aria-labelledby="totals-title">
        <h2 id="totals-title">Events recorded in the last {query.hours} hours, by type</h2>
        <DataTable
          table={{ columns: ["Type", "Events"], rows: activity.totals.map((row) => [row.type, row.events]) }}
        />
      </section>
      {consumerLag.available ? (
        <ChartPanel
          id="lag"
          title="Consumer lag per group and partition"
          svg={barChart(
            lagRows,
            "Messages behind (end offset − committed)",
            "Consumer lag per consumer group and partition",
          )}
          table={tableOf(pipelineEndpoint, health)}
          api="/api/v1/pipeline"
          apiParams={query}
          notes="Lag: messages on the partition the group has not yet committed past. A lag that keeps growing means a consumer is down or too slow."
        />
      ) : (
        <p class="notice">Consumer lag unavailable: {consumerLag.reason}</p>
      )}
      <section class="panel" aria-labelledby="dlq-title">
        <h2 id="dlq-title">Dead letters</h2>
        {deadLetters.available ? (
          <>
            <p>
              {deadLetters.value.total} on the dead-letter topic (read since {deadLetters.value.since.slice(0, 19)}Z).
              Reasons only: a dead letter's content is never shown. Replay with <code>pnpm mi dlq replay</code> once the
              cause is fixed.
            </p>
            {deadLetters.value.byReason.length === 0 ? null : (
              <ChartPanel
                id="dlq-reasons"
                title="Dead letters by reason"
                svg={barChart(
                  deadLetters.value.byReason
                    .slice(0, 20)
                    .map((row) => ({ label: row.reason.slice(0, 60), value: row.count })),
                  "Dead letters",
                  "Dead-lettered messages by reason",
                )}
                table={{
                  columns: ["reason", "count"],
                  rows: deadLetters.value.byReason.map((row) => [row.reason, row.count]),
                }}
                api="/api/v1/pipeline"
                apiParams={query}
              />
            )}
            <DataTable
              caption="Most recent"
              table={{
                columns: ["Dead-lettered at", "Reason", "Event type", "Source", "From", "Consumer"],
                rows: deadLetters.value.recent
                  .slice(0, 50)
                  .map((letter) => [
                    letter.deadLetteredAt,
                    letter.reason,
                    letter.type,
                    letter.source,
                    `${letter.originalTopic}[${letter.originalPartition}]@${letter.originalOffset}`,
                    letter.consumer,
                  ]),
              }}
            />
          </>
        ) : (
          <p class="notice">Dead letters unavailable: {deadLetters.reason}</p>
        )}
      </section>
      <section class="panel" aria-labelledby="models-title">
        <h2 id="models-title">Coding model versions in use (last 30 days)</h2>
        <DataTable
          table={{
            columns: ["Model version", "Codings (30 days)", "Of their sessions, counting it", "Last coded"],
            rows: activity.modelVersions.map((model) => [
              model.modelVersion,
              model.codings,
              model.sessionsCounting,
              model.lastCodedAt,
            ]),
          }}
        />
        <p class="muted">
          {activity.humanRatings} human ratings recorded; a session's human rating counts over any automatic coding.
        </p>
      </section>
    </Layout>
  );
}
