import type { WarblerResourcePolicy } from "../../policy";
import { containersOf, podSpecOf, REDACTED, workloadTypes } from "../../props";

/** Why an image reference is not pinned, or undefined when it has a digest or a tag other than latest. */
export function unpinned(image: string): string | undefined {
  if (image.includes("@sha256:")) return undefined;
  const lastSegment = image.slice(image.lastIndexOf("/") + 1);
  const colon = lastSegment.indexOf(":");
  if (colon < 0) return "has no tag (it means latest)";
  return lastSegment.slice(colon + 1) === "latest" ? "uses the 'latest' tag" : undefined;
}

export const k8sPinnedImages: WarblerResourcePolicy = {
  id: "kubernetes-pinned-images",
  name: "Container images are pinned by tag or digest",
  target: "kubernetes",
  what:
    "Every container image must name a specific version, by tag or sha256 digest; 'latest' and untagged images " +
    "are not allowed.",
  why:
    "'latest' changes under you: a restart can pull untested (or malicious) code, and the deployed version " +
    "cannot be traced from the configuration.",
  fix:
    "Use an explicit tag such as 'ejabberd/ecs:24.12' or, better, a digest 'ejabberd/ecs@sha256:...' (the " +
    "Warbler charts pin every image).",
  severity: "medium",
  enforcementLevel: "advisory",
  controls: ["ISO27001-A.8.19", "ISO27001-A.8.32", "SOC2-CC8.1", "SOC2-CC6.8", "PCI-6.3.3", "MLPS-8.1.4.4"],
  resourceTypes: workloadTypes,
  validateResource: (args, report) => {
    const spec = podSpecOf(args.type, args.props);
    if (!spec) return args.notApplicable("not a workload");
    for (const c of containersOf(spec)) {
      if (typeof c.image !== "string" || c.image === REDACTED) continue;
      const problem = unpinned(c.image);
      if (problem) report(`container '${c.name}' image '${c.image}' ${problem}`);
    }
  },
};
