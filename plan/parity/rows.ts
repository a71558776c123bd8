import { type ParityRowId, STACK_KEY } from "../../components/parity-cells";

/** A capability compared across clouds; each kit computes its cell (components/<cloud>/parity.ts). */
export interface ParityRow {
  id: ParityRowId;
  title: string;
  /** The value a secure default must produce, when there is one. */
  secure?: (value: string) => boolean;
}

const isStackKey = (v: string) => v === STACK_KEY;

/** Every row, in the order the matrix shows them. */
const rows: Record<ParityRowId, Omit<ParityRow, "id">> = {
  "private-api-endpoint": {
    title: "Private Kubernetes API endpoint",
    secure: (v) => v === "private" || v.startsWith("allow-listed"),
  },
  "secrets-encryption-cmk": { title: "Kubernetes Secrets encrypted with the stack's key", secure: isStackKey },
  "node-disk-encryption-cmk": { title: "Node disks encrypted with the stack's key", secure: isStackKey },
  "database-encryption-cmk": { title: "Database storage encrypted with the stack's key", secure: isStackKey },
  "database-tls-required": { title: "Database refuses connections without TLS", secure: (v) => v === "required" },
  "database-not-public": { title: "Database has no public endpoint", secure: (v) => v === "private" },
  "database-ha": { title: "Database high availability across zones" },
  "backup-retention": { title: "Database backup retention", secure: (v) => Number.parseInt(v, 10) >= 7 },
  "bucket-sse-cmk": { title: "File bucket encrypted with the stack's key", secure: isStackKey },
  "bucket-public-access-blocked": { title: "File bucket public access blocked", secure: (v) => v === "blocked" },
  "key-rotation": { title: "Customer-managed key rotated automatically", secure: (v) => v.startsWith("every") },
  "audit-logs": { title: "Control-plane audit logs to the cloud's log service", secure: (v) => v === "on" },
  "autoscaling-bounds": { title: "Node pools autoscale between min and max" },
  zones: { title: "Zones the nodes and subnets span" },
  edge: {
    title: "Edge: Envoy Gateway, its listeners, and the client's address handed to ejabberd",
    secure: (v) => v.startsWith("Envoy Gateway") && v.includes("HTTPS/443") && v.includes("PROXY V2"),
  },
};

export const parityRows: ParityRow[] = Object.entries(rows).map(([id, row]) => ({ id: id as ParityRowId, ...row }));
