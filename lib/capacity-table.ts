import { capacityTableInstances, capacityTableSessions, imSizing } from "./im-sizing";

const n = (value: number) => value.toLocaleString("en-US");

/** docs/capacity.md's sizing table, rendered from imSizing; a test keeps the page equal to it. */
export function capacityTable(): string {
  const header = [
    "| sessions per instance | node (vCPU / GiB) | ejabberd CPU (request / limit) | ejabberd memory | `+P` | " +
      "`+Q` and open files | re-admit after loss |",
    "| ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
  ];
  const rows = capacityTableSessions.map((sessions) => {
    const s = imSizing(sessions, capacityTableInstances);
    return (
      `| ${n(sessions)} | ${s.node.vcpu} / ${s.node.memoryGiB} | ${s.pod.cpuRequest} / ${s.pod.cpuLimit} | ` +
      `${s.pod.memoryGiB} GiB | ` +
      `${n(s.erlang.processes)} | ${n(s.erlang.ports)} | ${s.readmitMinutes} min |`
    );
  });
  return [...header, ...rows].join("\n");
}
