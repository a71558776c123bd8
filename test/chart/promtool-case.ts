/** The shapes of a promtool rule test, shared by the alert-rule tests. */

export type Labels = Record<string, string>;

export interface Series {
  series: string;
  values: string;
}

/** One promtool case: series at a 1-minute interval, and the alert's instances expected at `at`. */
export interface Case {
  name: string;
  series: Series[];
  at: string;
  /** Label sets of the firing instances, without alertname and the rule's own labels; [] for quiet. */
  firing: Labels[];
}

/** An input series in promtool's notation: `name{k="v",...}` and its expanding values ("0+2x30", "5x10"). */
export const series = (name: string, labels: Labels, values: string): Series => ({
  series: `${name}{${Object.entries(labels)
    .map(([k, v]) => `${k}="${v}"`)
    .join(",")}}`,
  values,
});
