import { z } from "zod";

/**
 * `warbler:grafana`: the admin console (Grafana at https://<domain>/grafana). Its admin password is generated; single
 * sign-on through an OIDC provider is optional, with the client secret in its own secret key,
 * `warbler:grafanaOidcClientSecret` (Grafana's generic_oauth options: grafana.com/docs/grafana/latest/setup-grafana/
 * configure-security/configure-authentication/generic-oauth/).
 */

const httpsUrl = z.url({ protocol: /^https$/ });

export const grafanaSchema = z
  .strictObject({
    oidc: z
      .strictObject({
        name: z.string().min(1).max(40).default("Single sign-on").describe("Label of the login button."),
        clientId: z.string().min(1).describe("The client (application) id registered with the provider."),
        authUrl: httpsUrl.describe("The provider's authorization endpoint."),
        tokenUrl: httpsUrl.describe("The provider's token endpoint."),
        apiUrl: httpsUrl.describe("The provider's userinfo endpoint."),
        scopes: z
          .array(z.string().regex(/^[\x21-\x7e]+$/, "must be a scope name without spaces"))
          .min(1)
          .default(["openid", "profile", "email"])
          .describe("Scopes requested at login."),
        roleAttributePath: z
          .string()
          .min(1)
          .optional()
          .describe(
            "JMESPath over the ID token or userinfo that yields Admin, Editor or Viewer, such as " +
              "\"contains(groups[*], 'im-admins') && 'Admin' || 'Viewer'\"; without it every user is a Viewer.",
          ),
      })
      .optional()
      .describe(
        "Single sign-on into Grafana through an OIDC provider; the built-in admin login stays for break-glass.",
      ),
  })
  .describe("Grafana, the admin console with Warbler's dashboards, at https://<domain>/grafana.");

/** What the cross-field rule reads; any key may be missing when others failed. */
interface PartialGrafana {
  grafana?: { oidc?: unknown };
  grafanaOidcClientSecret?: unknown;
}

/** The OIDC client secret goes with `grafana.oidc`, and only with it. */
export function grafanaIssues(config: PartialGrafana): { path: string[]; message: string }[] {
  const oidc = config.grafana?.oidc !== undefined;
  const secret = config.grafanaOidcClientSecret !== undefined;
  if (oidc && !secret)
    return [
      {
        path: ["grafanaOidcClientSecret"],
        message: "is required with 'grafana.oidc': set it with 'pulumi config set --secret'",
      },
    ];
  if (secret && !oidc)
    return [{ path: ["grafanaOidcClientSecret"], message: "is set but 'grafana.oidc' is not; set both or neither" }];
  return [];
}
