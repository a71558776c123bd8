import { parse, stringify } from "yaml";

/** How kubelogin signs in without a person (config cluster.azureLogin); kubelogin's own `--login` names. */
export type AzureLogin = "azurecli" | "spn" | "workloadidentity";

/**
 * kubelogin flags each login mode keeps from the kubeconfig AKS returns. AKS's `exec` kubeconfig asks for
 * `--login devicecode`, which prints a code and waits for a person (pulumi-azure-native#2399, Azure/kubelogin#193).
 * The other modes read their credentials from the environment (https://azure.github.io/kubelogin/concepts/
 * login-modes.html): azurecli the `az login` session; spn AZURE_CLIENT_ID and AZURE_CLIENT_SECRET; workloadidentity
 * AZURE_CLIENT_ID, AZURE_TENANT_ID and AZURE_FEDERATED_TOKEN_FILE. `--client-id` in AKS's kubeconfig is the AKS public
 * client application of the interactive modes (https://learn.microsoft.com/en-us/azure/aks/kubelogin-authentication);
 * it would override the service principal's, so it is dropped.
 */
const keptFlags: Record<AzureLogin, readonly string[]> = {
  azurecli: ["--server-id", "--tenant-id", "--environment"],
  spn: ["--server-id", "--tenant-id", "--environment"],
  workloadidentity: ["--server-id", "--environment"],
};

/** `kubelogin get-token` arguments for `mode`, from the ones AKS wrote. */
export function kubeloginArgs(args: readonly string[], mode: AzureLogin): string[] {
  if (args[0] !== "get-token") throw new Error(`kubelogin arguments start '${args[0]}', not 'get-token'`);
  const out = ["get-token"];
  for (let i = 1; i < args.length; i++) {
    const flag = args[i];
    const value = args[i + 1];
    if (!flag.startsWith("--") || value === undefined || value.startsWith("--")) continue;
    i++;
    if (keptFlags[mode].includes(flag)) out.push(flag, value);
  }
  if (!out.includes("--server-id")) throw new Error("kubelogin arguments have no --server-id (the AKS AAD server)");
  return [...out, "--login", mode];
}

interface ExecUser {
  name?: string;
  user?: { exec?: { command?: string; args?: string[] } };
}

/**
 * The kubeconfig AKS returns (format `exec`), its kubelogin users switched to `mode`: what `kubelogin
 * convert-kubeconfig -l <mode>` does, without the binary. Refuses a kubeconfig with no kubelogin user, which
 * would mean AKS changed its format and the Kubernetes provider would not sign in as intended.
 */
export function convertKubeconfig(kubeconfig: string, mode: AzureLogin): string {
  const doc = parse(kubeconfig) as { users?: ExecUser[] };
  const users = (doc.users ?? []).filter((u) => u.user?.exec?.command === "kubelogin");
  if (users.length === 0) throw new Error("the AKS kubeconfig has no user signing in through kubelogin");
  for (const u of users) {
    const exec = u.user!.exec!;
    exec.args = kubeloginArgs(exec.args ?? [], mode);
  }
  return stringify(doc);
}
