import type * as cog from "@grafana/grafana-foundation-sdk/cog";
import { ReduceDataOptionsBuilder } from "@grafana/grafana-foundation-sdk/common";
import type * as dashboard from "@grafana/grafana-foundation-sdk/dashboard";
import { DataqueryBuilder } from "@grafana/grafana-foundation-sdk/prometheus";
import { PanelBuilder as StatBuilder } from "@grafana/grafana-foundation-sdk/stat";
import { PanelBuilder as TimeseriesBuilder } from "@grafana/grafana-foundation-sdk/timeseries";

/**
 * The Prometheus data source kube-prometheus-stack provisions in its Grafana (`grafana.sidecar.datasources`, uid
 * "prometheus", set explicitly in components/kubernetes/grafana.ts).
 */
export const prometheusDatasource = { type: "prometheus", uid: "prometheus" } as const;

/** One PromQL series of a panel: the expression and its legend. */
export interface Query {
  expr: string;
  legend?: string;
}

const target = (q: Query, i: number) =>
  new DataqueryBuilder()
    .expr(q.expr)
    .legendFormat(q.legend ?? "__auto")
    .refId(String.fromCharCode(65 + i));

/** A time series panel over `queries`, `width` of 24 columns wide. */
export function timeseries(
  title: string,
  description: string,
  unit: string,
  queries: Query[],
  width = 12,
): cog.Builder<dashboard.Panel> {
  const panel = new TimeseriesBuilder()
    .title(title)
    .description(description)
    .datasource(prometheusDatasource)
    .unit(unit)
    .height(8)
    .span(width);
  for (const [i, q] of queries.entries()) panel.withTarget(target(q, i));
  return panel;
}

/** A single number (the last value), 6 columns wide. */
export function stat(title: string, description: string, unit: string, query: Query): cog.Builder<dashboard.Panel> {
  return (
    new StatBuilder()
      .title(title)
      .description(description)
      .datasource(prometheusDatasource)
      .unit(unit)
      .height(4)
      .span(6)
      // The latest value; an empty list would leave the choice to Grafana's version.
      .reduceOptions(new ReduceDataOptionsBuilder().calcs(["lastNotNull"]).values(false))
      .withTarget(target(query, 0))
  );
}
