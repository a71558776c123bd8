import { Service } from "@pulumi/kubernetes/core/v1";
import * as pulumi from "@pulumi/pulumi";
import { ejabberdNames } from "../../charts/im/ejabberd";
import { imGatewayName, imNamespace } from "../../charts/im/props";
import { gatewayListeners } from "../../charts/im/routes";
import { turnServiceName } from "../../charts/im/turn";
import { keepaliveSilenceSeconds } from "../../config/im";
import type { PlatformConfig } from "../../config/schema";
import { mirrorWarning } from "../../lib/registry-mirror";
import type { PlatformOutputs } from "../contract";
import { CertManager } from "./cert-manager";
import { EnvoyGateway, edgeNames } from "./envoy-gateway";
import { ImServices } from "./im-services";
import { Monitoring } from "./monitoring";
import { webhookPort } from "./system-network-policies";

export interface KubernetesLayerArgs {
  /** The validated stack config. @default - none, required */
  config: PlatformConfig;
  /** The kit's outputs; the layer reads nothing else about the cloud. @default - none, required */
  platform: PlatformOutputs;
}

/** Public addresses of the stack's load balancers, for the global DNS stack. */
export interface ImEndpoints {
  /** The Envoy proxies' Service (the Gateway): https://<domain>/ws, the upload host, and the admin paths. */
  ingress: pulumi.Output<string | undefined>;
  /** XMPP clients: 5222 (STARTTLS) and 5223 (TLS). */
  clients: pulumi.Output<string | undefined>;
  /** TURN over UDP 3478 and the relay ports; undefined when `im.turn` is off. */
  turn: pulumi.Output<string | undefined>;
}

/**
 * Everything after the kit: Envoy Gateway, cert-manager with its issuers,
 * kube-prometheus-stack, then the IM services. Cloud-neutral: it reads only
 * the platform outputs, and each cloud's differences arrive as their values.
 */
export class KubernetesLayer extends pulumi.ComponentResource {
  readonly endpoints: ImEndpoints;
  /** ejabberd administrator passwords by user name (secret). */
  readonly adminPasswords: pulumi.Output<Record<string, string>>;

  constructor(name: string, args: KubernetesLayerArgs, opts?: pulumi.ComponentResourceOptions) {
    super("warbler:kubernetes:KubernetesLayer", name, {}, opts);
    const { config, platform } = args;
    const provider = platform.cluster.provider;
    const labels = { owner: config.tags.owner, "data-classification": config.tags.dataClassification };
    const loadBalancer = platform.cluster.loadBalancer;
    if (loadBalancer.tcpIdleTimeoutSeconds <= keepaliveSilenceSeconds)
      throw new Error(
        `the kit's load balancer drops idle TCP flows after ${loadBalancer.tcpIdleTimeoutSeconds} s, within the ` +
          `${keepaliveSilenceSeconds} s a live XMPP or WebSocket session may stay silent`,
      );
    const registryMirror = config.cluster.registryMirror;
    const mirrorAdvice = mirrorWarning(config.region, registryMirror);
    if (mirrorAdvice) void pulumi.log.warn(mirrorAdvice, this);
    const edge = new EnvoyGateway(`${name}-edge`, { provider, loadBalancer, labels, registryMirror }, { parent: this });
    const certificates = new CertManager(
      `${name}-certificates`,
      {
        provider,
        email: config.acme.email,
        server: config.acme.server,
        http01Gateway: { name: imGatewayName, namespace: imNamespace, sectionName: gatewayListeners.http },
        labels,
        registryMirror,
        dependsOn: [edge.release],
        dns01: config.acme.dns01 && {
          config: config.acme.dns01,
          region: platform.region,
          access: platform.cluster.acmeDns01,
        },
      },
      { parent: this },
    );
    const monitoring = new Monitoring(
      `${name}-monitoring`,
      {
        provider,
        storageClassName: platform.cluster.storageClassName,
        alertWebhook: config.alertWebhook ? pulumi.secret(config.alertWebhook) : undefined,
        alertWebhookPort: config.alertWebhook ? webhookPort(config.alertWebhook) : undefined,
        nodeCidr: config.network.cidr,
        labels,
        grafana: { domain: config.domain, oidc: config.grafana.oidc },
        grafanaOidcClientSecret: config.grafanaOidcClientSecret
          ? pulumi.secret(config.grafanaOidcClientSecret)
          : undefined,
        registryMirror,
      },
      { parent: this },
    );
    const im = new ImServices(
      `${name}-im`,
      {
        config,
        platform,
        provider,
        dependsOn: [edge.gatewayClass, certificates.acmeIssuer, monitoring.release],
      },
      { parent: this },
    );
    this.adminPasswords = im.adminPasswords;

    // Envoy Gateway creates the proxies' Service once the chart's Gateway exists, under the EnvoyProxy's fixed name.
    const proxies = Service.get(`${name}-edge-service`, `${edge.namespace}/${edgeNames.service}`, {
      parent: this,
      provider,
      dependsOn: [im.objects],
    });
    const address = (service: pulumi.Output<Service> | Service) =>
      pulumi
        .output(service)
        .status.apply((s) => s?.loadBalancer?.ingress?.[0]?.hostname ?? s?.loadBalancer?.ingress?.[0]?.ip);
    this.endpoints = {
      ingress: address(proxies),
      clients: address(im.objects.getResource("v1/Service", imNamespace, ejabberdNames.clients)),
      turn: config.im.turn
        ? address(im.objects.getResource("v1/Service", imNamespace, turnServiceName))
        : pulumi.output(undefined),
    };
    this.registerOutputs({ endpoints: this.endpoints });
  }
}
