export { type ImEndpoints, KubernetesLayer, type KubernetesLayerArgs } from "./layer";
export { helmCharts } from "./versions";
