/**
 * The Kubernetes layer is created by `pulumi up` itself, so the API server must be reachable from where it runs.
 * With neither a public allow-list nor an in-network deployer, every Kubernetes object times out after the cloud
 * resources were created: refuse that stack before anything is built.
 */
export function deployPathIssues(config: {
  cluster?: { publicAccessCidrs?: unknown; privateAccessCidrs?: unknown };
}): { path: string[]; message: string }[] {
  const count = (v: unknown) => (Array.isArray(v) ? v.length : 0);
  const cluster = config.cluster;
  if (count(cluster?.publicAccessCidrs) > 0 || count(cluster?.privateAccessCidrs) > 0) return [];
  return [
    {
      path: ["cluster", "publicAccessCidrs"],
      message:
        "is empty and so is 'cluster.privateAccessCidrs': nothing could reach the Kubernetes API to create the " +
        "Kubernetes layer; list the public egress range `pulumi up` runs from, or the in-network runner's range in " +
        "'cluster.privateAccessCidrs' (docs/config.md)",
    },
  ];
}
