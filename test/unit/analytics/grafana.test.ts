import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { enaAllowanceStats } from "../../../charts/im/monitoring";
import { kitDescriptors } from "../../../components/kits";
import { warblerDashboards } from "../../../components/kubernetes/dashboards";
import { prometheusDatasource } from "../../../components/kubernetes/dashboards/panels";
import {
  chartNodeExporterArgs,
  dashboardLabel,
  grafanaAdminSecret,
  grafanaValues,
} from "../../../components/kubernetes/grafana";
import { kubePrometheusStackValues } from "../../../components/kubernetes/monitoring";
import { ConfigError, loadConfig } from "../../../config/load";
import { exampleRawConfig } from "../../support/stack-config";

type Values = Record<string, any>;
const oidc = {
  name: "Corporate SSO",
  clientId: "warbler-grafana",
  authUrl: "https://login.example.com/oauth2/authorize",
  tokenUrl: "https://login.example.com/oauth2/token",
  apiUrl: "https://login.example.com/oauth2/userinfo",
  scopes: ["openid", "profile", "email", "groups"],
  roleAttributePath: "contains(groups[*], 'im-admins') && 'Admin' || 'Viewer'",
};

describe("Grafana in kube-prometheus-stack", () => {
  const values = kubePrometheusStackValues("encrypted", { domain: "chat.example.com" }) as Values;

  it("serves Grafana itself under https://<domain>/grafana, which the edge's HTTPRoute forwards unchanged", () => {
    // grafana.com/docs/grafana/latest/setup-grafana/configure-grafana/#serve_from_sub_path: without it Grafana expects
    // a proxy that strips the path; the HTTPRoute does not.
    assert.deepEqual(values.grafana["grafana.ini"].server, {
      domain: "chat.example.com",
      root_url: "https://chat.example.com/grafana/",
      serve_from_sub_path: true,
    });
    assert.equal(values.grafana.enabled, true);
  });

  // grafana/helm-charts charts/grafana/values.yaml: `admin.existingSecret` with `userKey` and `passwordKey` replaces
  // `adminPassword`, which would otherwise be a chart-generated or literal value in the release.
  it("takes the admin login from the generated Secret, never from a value, and admits no anonymous or sign-up", () => {
    assert.deepEqual(values.grafana.admin, {
      existingSecret: grafanaAdminSecret.name,
      userKey: grafanaAdminSecret.userKey,
      passwordKey: grafanaAdminSecret.passwordKey,
    });
    assert.equal(values.grafana.adminPassword, undefined);
    assert.deepEqual(values.grafana["grafana.ini"]["auth.anonymous"], { enabled: false });
    assert.equal(values.grafana["grafana.ini"].users.allow_sign_up, false);
    assert.equal(values.grafana["grafana.ini"]["auth.generic_oauth"], undefined, "no SSO unless configured");
  });

  it("loads dashboards from ConfigMaps labelled for the sidecar, against the data source uid they name", () => {
    assert.deepEqual(values.grafana.sidecar.dashboards, {
      enabled: true,
      label: dashboardLabel.key,
      labelValue: dashboardLabel.value,
    });
    assert.equal(values.grafana.sidecar.datasources.uid, prometheusDatasource.uid);
  });

  // prometheus-community/helm-charts charts/kube-prometheus-stack/values.yaml:
  // `prometheus-node-exporter.namespaceOverride`
  // moves the sub-chart's DaemonSet out of the release namespace, whose Pod Security level ("baseline") refuses it.
  it("turns node-exporter on, in its own namespace", () => {
    assert.equal(values.nodeExporter.enabled, true);
    assert.equal(values["prometheus-node-exporter"].namespaceOverride, "node-exporter");
  });

  // node_exporter collector/ethtool_linux.go: the collector is registered defaultDisabled, `--collector.ethtool`
  // turns it on, and `--collector.ethtool.metrics-include` (default ".*") is matched unanchored against each
  // `ethtool -S` stat name, which becomes node_ethtool_<name> (rx/tx tokens renamed received/transmitted).
  // The ENA names: https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/monitoring-network-performance-ena.html
  it("turns node-exporter's ethtool collector on for the ENA allowance statistics only", () => {
    const args: string[] = values["prometheus-node-exporter"].extraArgs;
    assert.ok(args.includes("--collector.ethtool"));
    // Helm replaces lists: the chart's own file-system excludes must be repeated, not lost.
    for (const arg of chartNodeExporterArgs) assert.ok(args.includes(arg), `${arg.split("=")[0]} is kept`);
    assert.ok(args.some((a) => a.startsWith("--collector.filesystem.mount-points-exclude=")));
    assert.ok(args.some((a) => a.startsWith("--collector.filesystem.fs-types-exclude=")));
    const include = args.find((a) => a.startsWith("--collector.ethtool.metrics-include="));
    assert.ok(include, "metrics-include is set");
    const pattern = new RegExp(include.slice(include.indexOf("=") + 1));
    for (const stat of enaAllowanceStats) assert.ok(pattern.test(stat), `${stat} is collected`);
    // Other ENA statistics (ena_ethtool.c) and the names' unanchored look-alikes stay out.
    for (const stat of ["rx_bytes", "tx_timeout", "queue_0_tx_cnt", "ena_srd_mode", "xbw_in_allowance_exceeded"])
      assert.ok(!pattern.test(stat), `${stat} is not collected`);
    for (const stat of enaAllowanceStats) assert.doesNotMatch(stat, /(^|_)(rx|tx)(_|$)/, "no rename by node_exporter");
  });

  // grafana.com/docs/grafana/latest/setup-grafana/configure-grafana/#override-configuration-with-environment-variables:
  // GF_<SECTION>_<KEY> overrides grafana.ini, so GF_AUTH_GENERIC_OAUTH_CLIENT_SECRET sets [auth.generic_oauth]
  // client_secret; the grafana chart's `envValueFrom` reads it from a Secret.
  it("adds OIDC login with the client secret from a Secret, so the secret is in no Helm value", () => {
    const sso = grafanaValues("chat.example.com", oidc) as Values;
    const ini = sso.grafana["grafana.ini"]["auth.generic_oauth"];
    assert.equal(ini.enabled, true);
    assert.equal(ini.client_id, "warbler-grafana");
    assert.equal(ini.scopes, "openid profile email groups");
    assert.equal(ini.role_attribute_path, oidc.roleAttributePath);
    assert.equal(ini.client_secret, undefined);
    assert.deepEqual(Object.keys(sso.grafana.envValueFrom), ["GF_AUTH_GENERIC_OAUTH_CLIENT_SECRET"]);
  });
});

describe("the dashboards", () => {
  const dashboards = warblerDashboards();

  it("are the live, daily and health views, with distinct uids and files", () => {
    assert.deepEqual(
      dashboards.map((d) => d.uid),
      ["warbler-live", "warbler-daily", "warbler-health"],
    );
    assert.equal(new Set(dashboards.map((d) => d.file)).size, dashboards.length);
  });

  it("query only the provisioned Prometheus data source", () => {
    for (const d of dashboards) {
      const sources = JSON.stringify(d.model).match(/"datasource":\{[^}]*\}/g) ?? [];
      assert.ok(sources.length > 0, d.uid);
      for (const s of sources) assert.equal(s, `"datasource":${JSON.stringify(prometheusDatasource)}`, d.uid);
    }
  });
});

describe("warbler:grafana config", () => {
  const issues = (raw: Record<string, unknown>) => {
    try {
      loadConfig(raw, { cloudRules: kitDescriptors });
    } catch (err) {
      assert.ok(err instanceof ConfigError);
      return err.message;
    }
    return "";
  };

  it("accepts OIDC with its client secret", () => {
    const raw = { ...exampleRawConfig("aws"), "warbler:grafana": { oidc }, "warbler:grafanaOidcClientSecret": "s" };
    const config = loadConfig(raw, { cloudRules: kitDescriptors });
    assert.equal(config.kind === "platform" && config.grafana.oidc?.clientId, "warbler-grafana");
  });

  it("names the missing client secret, and a secret without OIDC", () => {
    assert.match(
      issues({ ...exampleRawConfig("aws"), "warbler:grafana": { oidc } }),
      /grafanaOidcClientSecret.*required/,
    );
    assert.match(
      issues({ ...exampleRawConfig("aws"), "warbler:grafanaOidcClientSecret": "s" }),
      /grafanaOidcClientSecret.*'grafana.oidc' is not/,
    );
  });

  it("refuses an OIDC endpoint that is not https", () => {
    const raw = {
      ...exampleRawConfig("aws"),
      "warbler:grafana": { oidc: { ...oidc, tokenUrl: "http://login.example.com/token" } },
      "warbler:grafanaOidcClientSecret": "s",
    };
    assert.match(issues(raw), /grafana\.oidc\.tokenUrl/);
  });
});
