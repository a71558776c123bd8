import { z } from "zod";
import { clouds } from "./clouds";
import { cidr } from "./fields";

const IPV4_RE = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/;

/** `warbler:failover`: this stack's role between two clouds and the peer it pairs with. */
export const failoverSchema = z
  .strictObject({
    role: z.enum(["none", "primary", "standby"]).default("none").describe("This stack's role in cross-cloud failover."),
    peer: z
      .strictObject({
        cloud: z
          .enum(clouds)
          .describe("The cloud of the other stack of the pair; must differ from this stack's cloud."),
        stack: z
          .string()
          .regex(/^[A-Za-z0-9_.-]+(\/[A-Za-z0-9_.-]+){0,2}$/, "must be a stack name such as azure or org/warbler/azure")
          .describe(
            "The peer's Pulumi stack, read through a StackReference (outputs: VPN address and key, database, bucket).",
          ),
        cidr: cidr.describe("The peer's network range; routed over the VPN and checked not to overlap this network."),
        gatewayIp: z
          .string()
          .regex(IPV4_RE, "must be an IPv4 address")
          .optional()
          .describe(
            "Public IP of the peer's VPN gateway (its `vpnGatewayIp` output). Unset on the first deploy: the " +
              "link is completed by the next one.",
          ),
        secondGatewayIp: z
          .string()
          .regex(IPV4_RE, "must be an IPv4 address")
          .optional()
          .describe(
            "Public IP of the peer's second VPN tunnel, so the link survives the loss of one tunnel (for an AWS " +
              "peer: its VPN connection's tunnel 2 outside address). Used by Azure and Alibaba Cloud stacks; unset, " +
              "only the first tunnel is connected.",
          ),
      })
      .optional()
      .describe("The other stack of the failover pair; required unless role is none."),
    replication: z
      .strictObject({
        sslmode: z
          .enum(["require", "verify-ca", "verify-full"])
          .default("require")
          .describe(
            "libpq sslmode the standby's subscription uses over the IPsec link (managed servers cannot hold " +
              "the peer's CA file).",
          ),
        image: z
          .string()
          .default("docker.io/library/postgres:16.10-alpine")
          .describe("Image with psql for the replication setup Job."),
      })
      .prefault({})
      .describe("PostgreSQL logical replication from the primary to the standby."),
    files: z
      .strictObject({
        schedule: z
          .string()
          .regex(/^(\S+\s+){4}\S+$/, "must be a five-field cron expression")
          .default("*/15 * * * *")
          .describe("When the standby copies new files from the primary's bucket (cron, UTC)."),
        image: z.string().default("docker.io/rclone/rclone:1.71.1").describe("rclone image for the file copy CronJob."),
      })
      .prefault({})
      .describe("Scheduled copy of uploaded files from the primary's bucket to the standby's."),
  })
  .superRefine((value, ctx) => {
    if (value.role !== "none" && !value.peer)
      ctx.addIssue({ code: "custom", path: ["peer"], message: `is required when role is ${value.role}` });
  })
  .describe("Cross-cloud failover role of this stack.");

export type FailoverConfig = z.output<typeof failoverSchema>;
