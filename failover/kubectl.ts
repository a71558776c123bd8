import { execFile } from "node:child_process";
import { promisify } from "node:util";
import type { HealthFence, ImService } from "./site";

const run = promisify(execFile);

export interface KubernetesTarget {
  /** Path to the kubeconfig of the site's cluster (`pulumi stack output kubeconfig --show-secrets`). */
  kubeconfig: string;
  /** @default "warbler-im" */
  namespace: string;
  /** @default "ejabberd" */
  statefulSet: string;
  /** Replicas when the site serves users. @default 3 */
  replicas: number;
}

/**
 * A site's IM front door on Kubernetes, through kubectl. Fencing scales
 * the ejabberd StatefulSet to zero: the load balancer's health checks, and
 * so the DNS health checks, fail, and DNS moves users on its own. Running
 * ejabberd sessions end, which a fence must do anyway.
 */
export class KubectlFrontDoor implements HealthFence, ImService {
  constructor(private readonly target: KubernetesTarget) {}

  private async scale(replicas: number): Promise<void> {
    const { kubeconfig, namespace, statefulSet } = this.target;
    await run(
      "kubectl",
      [
        "--kubeconfig",
        kubeconfig,
        "--namespace",
        namespace,
        "scale",
        `statefulset/${statefulSet}`,
        `--replicas=${replicas}`,
      ],
      { timeout: 60_000 },
    );
  }

  fence(): Promise<void> {
    return this.scale(0);
  }

  unfence(): Promise<void> {
    return this.scale(this.target.replicas);
  }

  scaleUp(): Promise<void> {
    return this.scale(this.target.replicas);
  }
}
