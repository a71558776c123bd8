/** What a kubeconfig for an EKS cluster is built from. */
export interface EksKubeconfigInput {
  clusterName: string;
  /** API server URL (https://...). */
  endpoint: string;
  /** Base64 PEM of the cluster CA, as EKS returns it. */
  certificateAuthorityData: string;
  region: string;
}

/**
 * A kubeconfig (JSON, which is valid YAML) that authenticates with
 * `aws eks get-token`: short-lived tokens from the caller's AWS identity,
 * never a static credential in state.
 */
export function renderKubeconfig(input: EksKubeconfigInput): string {
  const user = `${input.clusterName}-aws`;
  return JSON.stringify(
    {
      apiVersion: "v1",
      kind: "Config",
      clusters: [
        {
          name: input.clusterName,
          cluster: { server: input.endpoint, "certificate-authority-data": input.certificateAuthorityData },
        },
      ],
      contexts: [{ name: input.clusterName, context: { cluster: input.clusterName, user } }],
      "current-context": input.clusterName,
      users: [
        {
          name: user,
          user: {
            exec: {
              apiVersion: "client.authentication.k8s.io/v1beta1",
              command: "aws",
              args: [
                "eks",
                "get-token",
                "--cluster-name",
                input.clusterName,
                "--region",
                input.region,
                "--output",
                "json",
              ],
              interactiveMode: "Never",
            },
          },
        },
      ],
    },
    null,
    2,
  );
}
