export { KubernetesLayer, type KubernetesLayerArgs, type ImEndpoints } from "./layer";
export { helmCharts } from "./versions";
