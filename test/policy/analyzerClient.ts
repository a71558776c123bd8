/**
 * A minimal stand-in for the Pulumi engine's side of the analyzer protocol:
 * it starts the pack the way the stock CLI does (`run-policy-pack` in the
 * pack's directory, which compiles it with ts-node and serves gRPC on
 * 127.0.0.1) and speaks the same RPCs to it.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { join } from "node:path";

const root = join(__dirname, "..", "..");
const grpc = require(require.resolve("@grpc/grpc-js", { paths: [join(root, "node_modules/@pulumi/pulumi")] }));
const analyzerRpc = require(join(root, "node_modules/@pulumi/pulumi/proto/analyzer_grpc_pb.js"));
const analyzerPb = require(join(root, "node_modules/@pulumi/pulumi/proto/analyzer_pb.js"));
const structPb = require(
  require.resolve("google-protobuf/google/protobuf/struct_pb.js", {
    paths: [join(root, "node_modules/@pulumi/pulumi")],
  }),
);
const emptyPb = require(
  require.resolve("google-protobuf/google/protobuf/empty_pb.js", {
    paths: [join(root, "node_modules/@pulumi/pulumi")],
  }),
);

export const enforcementNames = ["advisory", "mandatory", "disabled", "remediate"] as const;

export interface Diagnostic {
  policy: string;
  enforcement: string;
  message: string;
  urn: string;
}

export interface AnalyzerResource {
  type: string;
  name: string;
  props: Record<string, unknown>;
  urn?: string;
}

export interface RunningPack {
  process: ChildProcess;
  port: number;
  stderr: () => string;
  info(): Promise<{
    name: string;
    version: string;
    policies: { name: string; enforcement: string; severity: number; hasConfigSchema: boolean }[];
  }>;
  configure(
    config: Record<
      string,
      { enforcementLevel: (typeof enforcementNames)[number]; properties?: Record<string, unknown> }
    >,
  ): Promise<void>;
  analyze(resource: AnalyzerResource): Promise<Diagnostic[]>;
  analyzeStack(resources: AnalyzerResource[]): Promise<Diagnostic[]>;
  stop(): void;
}

function urnOf(r: AnalyzerResource): string {
  return r.urn ?? `urn:pulumi:test::warbler::${r.type}::${r.name}`;
}

function options() {
  const o = new analyzerPb.AnalyzerResourceOptions();
  o.setProtect(false);
  return o;
}

function diagnostics(response: { getDiagnosticsList(): any[] }): Diagnostic[] {
  return response.getDiagnosticsList().map((d) => ({
    policy: d.getPolicyname(),
    enforcement: enforcementNames[d.getEnforcementlevel()],
    message: d.getMessage(),
    urn: d.getUrn(),
  }));
}

/** Starts the pack in `packDir`; resolves once it prints its port, rejects after `timeoutMs`. */
export function startPack(packDir: string, timeoutMs: number): Promise<RunningPack> {
  const child = spawn(
    process.execPath,
    [join(root, "node_modules/@pulumi/pulumi/cmd/run-policy-pack"), "127.0.0.1:1", "."],
    {
      cwd: packDir,
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let out = "";
  let err = "";
  child.stderr!.on("data", (c: Buffer) => (err += c.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`the pack did not start within ${timeoutMs} ms; stderr:\n${err}`));
    }, timeoutMs);
    child.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`the pack exited with ${code} before serving; stderr:\n${err}`));
    });
    child.stdout!.on("data", (c: Buffer) => {
      out += c.toString();
      const m = /^(\d+)\s*$/m.exec(out);
      if (!m) return;
      clearTimeout(timer);
      child.removeAllListeners("exit");
      const port = Number(m[1]);
      const client = new analyzerRpc.AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
      const call = <T>(method: string, request: unknown) =>
        new Promise<T>((ok, fail) => client[method](request, (e: Error | null, res: T) => (e ? fail(e) : ok(res))));
      const toResource = (r: AnalyzerResource) => {
        const a = new analyzerPb.AnalyzerResource();
        a.setType(r.type);
        a.setName(r.name);
        a.setUrn(urnOf(r));
        a.setProperties(structPb.Struct.fromJavaScript(r.props));
        a.setOptions(options());
        return a;
      };
      resolve({
        process: child,
        port,
        stderr: () => err,
        async info() {
          const res: any = await call("getAnalyzerInfo", new emptyPb.Empty());
          return {
            name: res.getName(),
            version: res.getVersion(),
            policies: res.getPoliciesList().map((p: any) => ({
              name: p.getName(),
              enforcement: enforcementNames[p.getEnforcementlevel()],
              severity: p.getSeverity(),
              hasConfigSchema: p.getConfigschema() !== undefined,
            })),
          };
        },
        async configure(config) {
          const req = new analyzerPb.ConfigureAnalyzerRequest();
          const map = req.getPolicyconfigMap();
          for (const [name, c] of Object.entries(config)) {
            const pc = new analyzerPb.PolicyConfig();
            pc.setEnforcementlevel(enforcementNames.indexOf(c.enforcementLevel));
            pc.setProperties(structPb.Struct.fromJavaScript(c.properties ?? {}));
            map.set(name, pc);
          }
          await call("configure", req);
        },
        async analyze(r) {
          const req = new analyzerPb.AnalyzeRequest();
          req.setType(r.type);
          req.setName(r.name);
          req.setUrn(urnOf(r));
          req.setProperties(structPb.Struct.fromJavaScript(r.props));
          req.setOptions(options());
          return diagnostics(await call("analyze", req));
        },
        async analyzeStack(resources) {
          const req = new analyzerPb.AnalyzeStackRequest();
          req.setResourcesList(resources.map(toResource));
          return diagnostics(await call("analyzeStack", req));
        },
        stop() {
          client.close();
          if (child.pid !== undefined && child.exitCode === null) child.kill("SIGTERM");
        },
      });
    });
  });
}
