import type { ICertificate } from "@kubernetes-models/cert-manager/cert-manager.io/v1/Certificate";
import type { IPrometheusRule } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule";
import type { IServiceMonitor } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor";
import { ApiObject } from "cdk8s";
import type { k8s } from "cdk8s-plus-34";
import type { Construct } from "constructs";

/**
 * The custom resources the chart emits, typed from the upstream CRD schemas
 * (cert-manager v1, monitoring.coreos.com v1) that kubernetes-models ships:
 * `cdk8s import` cannot reach the CRD sources from the build machines, and
 * these types make a misspelled field fail tsc just as the `k8s` classes do.
 */

interface CustomResourceProps<Spec> {
  readonly metadata: k8s.ObjectMeta;
  readonly spec: Spec;
}

export class Certificate extends ApiObject {
  constructor(scope: Construct, id: string, props: CustomResourceProps<ICertificate["spec"]>) {
    super(scope, id, { apiVersion: "cert-manager.io/v1", kind: "Certificate", ...props });
  }
}

export class ServiceMonitor extends ApiObject {
  constructor(scope: Construct, id: string, props: CustomResourceProps<IServiceMonitor["spec"]>) {
    super(scope, id, { apiVersion: "monitoring.coreos.com/v1", kind: "ServiceMonitor", ...props });
  }
}

export type AlertRule = NonNullable<NonNullable<IPrometheusRule["spec"]>["groups"]>[number]["rules"] extends
  | (infer R)[]
  | undefined
  ? R
  : never;

export class PrometheusRule extends ApiObject {
  constructor(scope: Construct, id: string, props: CustomResourceProps<IPrometheusRule["spec"]>) {
    super(scope, id, { apiVersion: "monitoring.coreos.com/v1", kind: "PrometheusRule", ...props });
  }
}
