import { turnRelayPortsIssue } from "../../config/im";
import { type ConfigIssue, foreignKeyIssue } from "../../config/load";
import { NAMESPACE } from "../../config/namespace";
import type { PartialPlatformConfig } from "../../config/schema";
import { imNodePool } from "../../lib/im-sizing";
import { vmInboundFlows } from "./load-balancer";
import { zonalPoolBase } from "./node-pool";

/**
 * Relay ports the AKS load balancer can carry: a node NIC takes at most 300 load-balancing rules, and each
 * frontend IP:port of a LoadBalancer Service is one of them for every node, so a cluster with one Standard load
 * balancer has at most 300 Service IP:port combinations
 * (kubernetes-sigs.github.io/cloud-provider-azure/topics/multislb).
 * The stack publishes 6 others: ingress 80 and 443, clients 5222 and 5223, TURN 3478/UDP and 443/TCP.
 */
export const AZURE_TURN_RELAY_MAX_PORTS = 294;

/**
 * The most sessions one ejabberd instance may be sized for on Azure: its node, a VM, keeps at most 500,000 inbound
 * flows, and each session is one (load-balancer.ts `vmInboundFlows`).
 */
export const AZURE_MAX_SESSIONS_PER_INSTANCE = vmInboundFlows;

/**
 * What the Azure kit cannot build from a config that the cloud-neutral schema
 * accepts. Returns every problem, so one run reports them all; it also runs
 * when other keys failed, hence the defensive reads.
 */
export function azureConfigIssues(config: PartialPlatformConfig): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const foreign = [
    foreignKeyIssue(
      "database.caBundle",
      config.database?.caBundle,
      "is for alicloud only: the azure kit ships its database CA bundle itself",
    ),
    foreignKeyIssue(
      "cluster.adminPrincipals",
      config.cluster?.adminPrincipals,
      "is for aws only (IAM ARNs granted through EKS access entries): the azure kit makes the deployer alone " +
        "cluster admin, through an Azure RBAC role assignment whose principal kind is 'cluster.azurePrincipalType'; " +
        "give others 'Azure Kubernetes Service RBAC Cluster Admin' on the cluster outside the stack",
    ),
  ];
  for (const issue of foreign) if (issue) issues.push(issue);
  const relayIssue = turnRelayPortsIssue(
    config.im,
    "azure",
    AZURE_TURN_RELAY_MAX_PORTS,
    "a node NIC takes at most 300 load-balancing rules, one per Service IP:port, and the stack publishes 6 other ports",
  );
  if (relayIssue) issues.push(relayIssue);
  issues.push(...imIssues(config));
  // kubelogin's spn and workloadidentity modes sign in as an application; ARM refuses the deployer's role
  // assignments when their principalType is not the principal's kind (UnmatchedPrincipalType).
  const login = config.cluster?.azureLogin;
  const principalType = config.cluster?.azurePrincipalType ?? "User";
  if ((login === "spn" || login === "workloadidentity") && principalType !== "ServicePrincipal") {
    issues.push({
      key: `${NAMESPACE}:cluster.azurePrincipalType`,
      value: principalType,
      message: `must be ServicePrincipal when 'cluster.azureLogin' is ${login}: that mode signs in as an application`,
    });
  }
  return issues;
}

/** The IM service against Azure's limits: sessions per instance, and the name of the dedicated ejabberd pool. */
function imIssues(config: PartialPlatformConfig): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const perInstance = config.im?.sessionsPerInstance;
  if (typeof perInstance === "number" && perInstance > AZURE_MAX_SESSIONS_PER_INSTANCE)
    issues.push({
      key: `${NAMESPACE}:im.sessionsPerInstance`,
      value: perInstance,
      message:
        // The value also in the message: a default (1,000,000) is not in the stack file for the error to quote.
        `must be at most ${AZURE_MAX_SESSIONS_PER_INSTANCE} on azure (it is ${perInstance}): one VM keeps at most ` +
        "500,000 inbound flows " +
        "(Microsoft Learn, Virtual machine network bandwidth, flow limits), and each session is one on its " +
        "ejabberd node; hold more sessions with more instances ('warbler:im.sessions' or 'warbler:im.replicas')",
    });
  const pools = config.cluster?.nodePools;
  (Array.isArray(pools) ? pools : []).forEach((pool, i) => {
    // The name itself is refused for every cloud (config/schema.ts); here the names AKS would turn into it.
    if (typeof pool?.name === "string" && pool.name !== imNodePool.name && zonalPoolBase(pool.name) === imNodePool.name)
      issues.push({
        key: `${NAMESPACE}:cluster.nodePools[${i}].name`,
        value: pool.name,
        message:
          `is reserved on azure: '${pool.name}' gives AKS pools named like those of the dedicated ` +
          `'${imNodePool.name}' pool (${imNodePool.name}1, ...), which the kit creates itself, sized from ` +
          "'warbler:im.sessionsPerInstance'; name the pool otherwise",
      });
  });
  return issues;
}
