import { Release } from "@pulumi/kubernetes/helm/v3";
import type { Provider as KubernetesProvider } from "@pulumi/kubernetes/provider";
import * as pulumi from "@pulumi/pulumi";
import type { kubernetesVersions } from "../../config/clouds";
import { AwsWorkloadIdentity } from "./identity";
import { clusterAutoscalerPolicy, loadBalancerControllerPolicy } from "./permissions";

type KubernetesVersion = (typeof kubernetesVersions)[number];

/** Helm charts, pinned. The autoscaler's image follows the cluster's minor, as its releases do. */
export const controllerCharts = {
  loadBalancerController: {
    repo: "https://aws.github.io/eks-charts",
    chart: "aws-load-balancer-controller",
    version: "1.13.4",
  },
  clusterAutoscaler: {
    repo: "https://kubernetes.github.io/autoscaler",
    chart: "cluster-autoscaler",
    version: "9.54.0",
  },
} as const;

/** How long the controller's install may take to become Ready before it is rolled back. */
export const CONTROLLER_READY_TIMEOUT_SECONDS = 600;

export const clusterAutoscalerImages: Record<KubernetesVersion, string> = {
  "1.35": "v1.35.0",
  "1.36": "v1.36.1",
};

export interface AwsControllersArgs {
  /** EKS cluster name. @default - none, required */
  clusterName: string;
  /** Kubernetes minor of the cluster. @default - none, required */
  version: KubernetesVersion;
  /** Region of the cluster. @default - none, required */
  region: string;
  /** VPC of the cluster (the load balancer controller skips IMDS lookups with it). @default - none, required */
  vpcId: pulumi.Input<string>;
  /** ARN of the cluster's IAM OIDC provider, for IRSA. @default - none, required */
  oidcProviderArn: pulumi.Input<string>;
  /** The cluster's OIDC issuer URL. @default - none, required */
  issuerUrl: pulumi.Input<string>;
  /** Provider of the cluster. @default - none, required */
  provider: KubernetesProvider;
  /** Tags on the IAM roles and on every load balancer the controller creates. @default {} */
  tags?: Record<string, string>;
}

/**
 * What EKS leaves to the user and the contract needs: the Cluster
 * Autoscaler, which scales the managed node groups between their min and
 * max (AKS and ACK have one built in), and the AWS Load Balancer
 * Controller, which turns LoadBalancer Services annotated as `external`
 * into NLBs with IP targets, for TCP and UDP.
 */
export class AwsControllers extends pulumi.ComponentResource {
  /**
   * Done once the load balancer controller's pods are Ready: its webhook, which mutates every Service and Pod,
   * has endpoints. Created earlier, a Service fails or a Pod misses its readiness gate
   * (aws-load-balancer-controller#4140, aws/eks-charts#1058).
   */
  readonly ready: pulumi.Resource[];

  constructor(name: string, args: AwsControllersArgs, opts?: pulumi.ComponentResourceOptions) {
    super("warbler:aws:Controllers", name, {}, opts);
    const tags = args.tags ?? {};
    const irsa = { oidcProviderArn: args.oidcProviderArn, issuerUrl: args.issuerUrl, namespace: "kube-system", tags };

    const lbcAccount = "aws-load-balancer-controller";
    const lbcRole = new AwsWorkloadIdentity(
      `${name}-lb-controller`,
      { ...irsa, serviceAccount: lbcAccount, policy: loadBalancerControllerPolicy(args.clusterName) },
      { parent: this },
    );
    const lbc = controllerCharts.loadBalancerController;
    const lbcRelease = new Release(
      `${name}-lb-controller`,
      {
        name: lbc.chart,
        chart: lbc.chart,
        version: lbc.version,
        repositoryOpts: { repo: lbc.repo },
        namespace: "kube-system",
        values: {
          clusterName: args.clusterName,
          region: args.region,
          vpcId: args.vpcId,
          replicaCount: 2,
          serviceAccount: { create: true, name: lbcAccount, annotations: lbcRole.outputs.serviceAccountAnnotations },
          defaultTags: tags,
        },
        // Helm waits until the Deployment's pods are Ready (the default, made explicit) and rolls back a failed
        // install instead of leaving a controller without endpoints.
        skipAwait: false,
        atomic: true,
        timeout: CONTROLLER_READY_TIMEOUT_SECONDS,
      },
      { parent: this, provider: args.provider },
    );
    this.ready = [lbcRelease];

    const casAccount = "cluster-autoscaler";
    const casRole = new AwsWorkloadIdentity(
      `${name}-autoscaler`,
      { ...irsa, serviceAccount: casAccount, policy: clusterAutoscalerPolicy(args.clusterName) },
      { parent: this },
    );
    const cas = controllerCharts.clusterAutoscaler;
    new Release(
      `${name}-autoscaler`,
      {
        name: cas.chart,
        chart: cas.chart,
        version: cas.version,
        repositoryOpts: { repo: cas.repo },
        namespace: "kube-system",
        values: {
          cloudProvider: "aws",
          awsRegion: args.region,
          autoDiscovery: { clusterName: args.clusterName },
          image: { tag: clusterAutoscalerImages[args.version] },
          rbac: {
            serviceAccount: { create: true, name: casAccount, annotations: casRole.outputs.serviceAccountAnnotations },
          },
          // Pools of one shape grow together; among different shapes, the one that wastes least wins.
          extraArgs: { "balance-similar-node-groups": true, expander: "least-waste" },
        },
      },
      { parent: this, provider: args.provider },
    );
    this.registerOutputs({ loadBalancerController: lbcRelease.status });
  }
}
