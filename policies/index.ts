/**
 * The Warbler CrossGuard pack. This is the only file that constructs a
 * PolicyPack: doing so starts the analyzer's gRPC server, which never exits.
 * Run it with the stock CLI: `pulumi preview --policy-pack policies`.
 */
import { PolicyPack } from "@pulumi/policy";
import { clouds, toPulumiPolicy } from "./policy";
import { selectPolicies } from "./registry";

new PolicyPack("warbler", {
  description:
    "Warbler compliance pack: encryption, TLS, exposure, keys, backups, audit logging, residency and tagging " +
    "on AWS, Azure and Alibaba Cloud, plus Kubernetes workload hardening.",
  displayName: "Warbler compliance",
  provider: "multi-cloud",
  tags: [...clouds, "kubernetes", "iso27001", "soc2", "pci-dss", "gdpr", "cis", "mlps"],
  policies: selectPolicies().map(toPulumiPolicy),
});
