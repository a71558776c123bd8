import { type ImSizing, sessionCost } from "../../lib/im-sizing";
import type { AlertRule } from "./crds";

/** Share of a sized limit above which the capacity alerts fire: time to add an instance before clients are refused. */
export const capacityAlertShare = 0.8;

/** Share of the login capacity that failed logins may take before they alert. */
const failureShare = 0.1;

/** Below this share of the sized sessions, memory per session is dominated by the idle node and says nothing. */
const memoryPerSessionFloorShare = 0.1;

/**
 * The alerts whose thresholds come from the instance's sizing (lib/im-sizing.ts), so that they move with
 * `warbler:im.sessionsPerInstance`: sessions, open files, memory per session, login rate and failed logins, each per
 * ejabberd pod.
 * Open sockets and memory are the kubelet's cAdvisor metrics (its /metrics/cadvisor serves cAdvisor's process
 * metrics, kubernetes/kubernetes#82112), which kube-prometheus-stack scrapes; it drops container_file_descriptors
 * (values.yaml, kubelet.serviceMonitor.cAdvisorMetricRelabelings) but keeps container_sockets, and every session is
 * one socket. Sessions and logins are the exporter's.
 */
export function capacityAlertRules(sizing: ImSizing, namespace: string): AlertRule[] {
  const sel = `namespace="${namespace}"`;
  const container = `${sel},container="ejabberd"`;
  const sessions = `max by (pod) (ejabberd_node_online_users{${sel}})`;
  const perInstance = sizing.sessionsPerInstance;
  const bytesPerSession = Math.floor((sizing.pod.memoryGiB * 1024 ** 3) / perInstance);
  const loginCapacity = sessionCost.loginsPerVcpuSecond * sizing.pod.cpuLimit;
  const socketThreshold = Math.round(capacityAlertShare * sizing.erlang.maxOpenFiles);
  const loginThreshold = Math.round(capacityAlertShare * loginCapacity);
  const failureThreshold = Math.round(failureShare * loginCapacity);
  return [
    {
      alert: "EjabberdSessionsNearSizing",
      expr: `${sessions} > ${Math.round(capacityAlertShare * perInstance)}`,
      for: "15m",
      labels: { severity: "warning" },
      annotations: {
        summary: "An ejabberd instance holds 80% of the sessions it is sized for",
        description:
          `{{ $labels.pod }} holds more than ${Math.round(capacityAlertShare * 100)}% of its ${perInstance} ` +
          "sessions (warbler:im.sessionsPerInstance); losing an instance would push the rest past their sizing. " +
          "Raise warbler:im.replicas or warbler:im.sessions.",
      },
    },
    {
      alert: "EjabberdOpenFilesNearLimit",
      expr: `max by (pod) (container_sockets{${container}}) > ${socketThreshold}`,
      for: "5m",
      labels: { severity: "critical" },
      annotations: {
        summary: "An ejabberd container holds 80% of the sockets its open-file limit is sized for",
        description:
          `{{ $labels.pod }} holds more than ${Math.round(capacityAlertShare * 100)}% of the ` +
          `${sizing.erlang.maxOpenFiles} descriptors it is sized for (one socket per session); past ERL_MAX_PORTS ` +
          "new logins are refused. Add an instance.",
      },
    },
    {
      alert: "EjabberdMemoryPerSessionAboveSizing",
      expr:
        `max by (pod) (container_memory_working_set_bytes{${container}}) / ${sessions} > ${bytesPerSession} ` +
        `and ${sessions} > ${Math.round(memoryPerSessionFloorShare * perInstance)}`,
      for: "30m",
      labels: { severity: "warning" },
      annotations: {
        summary: "Sessions cost more memory than the instance is sized for",
        description:
          `{{ $labels.pod }} uses more than ${bytesPerSession} bytes per session, the pod's memory over its ` +
          `${perInstance} sessions: at this cost it is OOM-killed before it is full. Busy sessions (large rosters, ` +
          "many rooms) or a leak; lower warbler:im.sessionsPerInstance or see docs/capacity.md.",
      },
    },
    {
      alert: "EjabberdLoginsNearCapacity",
      expr: `sum by (pod) (rate(ejabberd_logins_total{${sel}}[5m])) > ${loginThreshold}`,
      for: "10m",
      labels: { severity: "warning" },
      annotations: {
        summary: "An ejabberd instance admits logins near its CPU's capacity",
        description:
          `{{ $labels.pod }} admits more than ${loginThreshold} logins a second, ` +
          `80% of the ${loginCapacity} its ${sizing.pod.cpuLimit} vCPUs admit: a reconnect storm, or clients ` +
          "reconnecting without back-off. Logins queue and time out beyond it.",
      },
    },
    {
      alert: "EjabberdLoginFailuresNearCapacity",
      // A failed SCRAM login costs the CPU of a good one: failures at this rate take a share of the capacity a
      // reconnect storm needs, whether they are password guessing or clients with stale credentials retrying.
      expr: `sum by (pod) (rate(ejabberd_login_failures_total{${sel}}[5m])) > ${failureThreshold}`,
      for: "10m",
      labels: { severity: "warning" },
      annotations: {
        summary: "Failed logins take a tenth of an ejabberd instance's login capacity",
        description:
          `{{ $labels.pod }} refuses more than ${failureThreshold} logins a second, a tenth of the ${loginCapacity} ` +
          "its vCPUs admit: password guessing (mod_fail2ban bans by address) or clients retrying stale credentials " +
          "without back-off. Logins of good clients queue behind them.",
      },
    },
  ];
}
