import { getAckServiceOutput } from "@pulumi/alicloud/cs";
import { getServiceOutput as getKmsService } from "@pulumi/alicloud/kms";
import { getServiceOutput as getLogService } from "@pulumi/alicloud/log";
import { getServiceOutput as getOssService } from "@pulumi/alicloud/oss";
import { getFlowLogServiceOutput } from "@pulumi/alicloud/vpc";
import * as pulumi from "@pulumi/pulumi";

/**
 * The pay-as-you-go services a fresh account must open before the stack's resources can be created, each through the
 * provider's service data source with `enable: "On"` (it opens the service, or returns its status when already open;
 * the services cannot be closed again). `ack` is ACK Pro (`propayasgo`), which `clusterSpec: "ack.pro.small"` needs
 * (@pulumi/alicloud cs/getAckService.d.ts, kms/getService.d.ts, log/getService.d.ts, oss/getService.d.ts,
 * vpc/getFlowLogService.d.ts). ApsaraDB RDS, ECS, VPC and CLB need no activation. The roles ACK and RDS assume are
 * not created here: docs/alicloud.md, First deploy in a fresh account.
 */
export const activatedServices = ["ack", "kms", "log", "oss", "vpcFlowLog"] as const;
export type ActivatedService = (typeof activatedServices)[number];

/** What each service data source answers once the service is open (its `status`). */
export const openStatus = "Opened";

/** Opens the services; `after` holds a value back until its service answers "Opened", so creation waits for it. */
export class AlicloudServices extends pulumi.ComponentResource {
  private readonly statuses: Record<ActivatedService, pulumi.Output<string>>;

  constructor(name: string, opts?: pulumi.ComponentResourceOptions) {
    super("warbler:alicloud:Services", name, {}, opts);
    const parent = { parent: this };
    this.statuses = {
      ack: getAckServiceOutput({ enable: "On", type: "propayasgo" }, parent).status,
      kms: getKmsService({ enable: "On" }, parent).status,
      log: getLogService({ enable: "On" }, parent).status,
      oss: getOssService({ enable: "On" }, parent).status,
      vpcFlowLog: getFlowLogServiceOutput({ enable: "On" }, parent).status,
    };
    this.registerOutputs(this.statuses);
  }

  /** `value`, once `service` is open; fails the deploy, naming the service, when it is not. */
  after<T>(service: ActivatedService, value: pulumi.Input<T>): pulumi.Output<T> {
    return pulumi.all([this.statuses[service], value]).apply(([status, v]) => {
      if (status !== openStatus)
        throw new Error(`the ${service} service is not open in this account (status "${status}"); docs/alicloud.md`);
      return v as T;
    });
  }
}
