import { capacityAlertShare } from "../../charts/im/capacity-alerts";
import { type ImSizing, sessionCost } from "../../lib/im-sizing";
import { type Case, series } from "./promtool-case";

/**
 * promtool cases for the sizing-derived alerts (charts/im/capacity-alerts.ts): each threshold is computed from the
 * same sizing the chart used, so a case just above and one just below it prove the rule reads that number.
 */
export function capacityAlertCases(sizing: ImSizing, pod: { namespace: string; pod: string }): Record<string, Case[]> {
  const perInstance = sizing.sessionsPerInstance;
  const container = { ...pod, container: "ejabberd" };
  const sessions = (n: number) => series("ejabberd_node_online_users", pod, `${n}x40`);
  const sockets = Math.round(capacityAlertShare * sizing.erlang.maxOpenFiles);
  const bytesPerSession = (sizing.pod.memoryGiB * 1024 ** 3) / perInstance;
  const half = Math.round(perInstance / 2);
  const memory = (perSession: number) =>
    series("container_memory_working_set_bytes", container, `${Math.round(perSession * half)}x40`);
  const loginCapacity = sessionCost.loginsPerVcpuSecond * sizing.pod.cpuLimit;
  const logins = loginCapacity * capacityAlertShare;
  const failureRate = (perSecond: number) =>
    series("ejabberd_login_failures_total", { ...pod, domain: "example.com" }, `0+${Math.round(perSecond * 60)}x40`);
  const loginRate = (perSecond: number) =>
    series("ejabberd_logins_total", { ...pod, domain: "example.com" }, `0+${Math.round(perSecond * 60)}x40`);
  return {
    EjabberdSessionsNearSizing: [
      {
        name: "85% of the sized sessions",
        series: [sessions(Math.round(perInstance * 0.85))],
        at: "20m",
        firing: [{ pod: pod.pod }],
      },
      { name: "75% of the sized sessions", series: [sessions(Math.round(perInstance * 0.75))], at: "20m", firing: [] },
    ],
    EjabberdOpenFilesNearLimit: [
      {
        name: "sockets above the share",
        series: [series("container_sockets", container, `${sockets + 1000}x10`)],
        at: "8m",
        firing: [{ pod: pod.pod }],
      },
      {
        name: "sockets below the share",
        series: [series("container_sockets", container, `${sockets - 1000}x10`)],
        at: "8m",
        firing: [],
      },
    ],
    EjabberdMemoryPerSessionAboveSizing: [
      {
        name: "10% over the budget per session",
        series: [memory(bytesPerSession * 1.1), sessions(half)],
        at: "35m",
        firing: [{ pod: pod.pod }],
      },
      { name: "within the budget", series: [memory(bytesPerSession * 0.9), sessions(half)], at: "35m", firing: [] },
      {
        name: "over the budget, but too few sessions to say",
        series: [
          series("container_memory_working_set_bytes", container, `${Math.round(bytesPerSession * 2 * 100)}x40`),
          sessions(100),
        ],
        at: "35m",
        firing: [],
      },
    ],
    EjabberdLoginFailuresNearCapacity: [
      {
        name: "failures at 15% of the login capacity",
        series: [failureRate(loginCapacity * 0.15)],
        at: "20m",
        firing: [{ pod: pod.pod }],
      },
      { name: "failures at 5% of it", series: [failureRate(loginCapacity * 0.05)], at: "20m", firing: [] },
    ],
    EjabberdLoginsNearCapacity: [
      {
        name: "logins above the share of the CPU's capacity",
        series: [loginRate(logins * 1.2)],
        at: "20m",
        firing: [{ pod: pod.pod }],
      },
      { name: "logins below it", series: [loginRate(logins * 0.8)], at: "20m", firing: [] },
    ],
  };
}
