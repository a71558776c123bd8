import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { buildPodScript } from "./bundle";

/**
 * A ConfigMap holds at most 1 MiB of data ("The data stored in a ConfigMap cannot exceed 1 MiB",
 * https://kubernetes.io/docs/concepts/configuration/configmap/). The upload service bundles three cloud SDKs
 * (about 1.6 MB minified), so the chart ships it gzip-compressed in `binaryData` (about 0.6 MB as base64).
 */
export const configMapLimitBytes = 1024 * 1024;

/** The file name of the compressed bundle, as a key of the ConfigMap's binaryData and in the mounted directory. */
export const uploadBundleFile = "upload.js.gz";

/**
 * Unpacks and runs the bundle with public Node APIs only: gunzip, wrap as a CommonJS module, run it with a require
 * rooted at the bundle's path. Passed to `node -e`; the bundle's path is the first argument after it, so the image's
 * own node runs it with no writable directory and no shell.
 */
export const uploadLoader = [
  'const f=require("node:fs"),z=require("node:zlib"),vm=require("node:vm"),M=require("node:module");',
  "const p=process.argv[1],s=z.gunzipSync(f.readFileSync(p)).toString();",
  'const w=vm.runInThisContext("(function(exports,require,module,__filename,__dirname){"+s+"\\n})",{filename:p});',
  'const m={exports:{}};w(m.exports,M.createRequire(p),m,p,require("node:path").dirname(p));',
].join("");

export interface UploadBundle {
  /** The ConfigMap's `binaryData`: the gzip-compressed bundle, base64, under uploadBundleFile. */
  binaryData: Record<string, string>;
  /** Size of the minified JavaScript. */
  rawBytes: number;
  /** Size of binaryData as the API server stores it (base64). */
  storedBytes: number;
  /** The container's command when the ConfigMap is mounted at `dir`. */
  command(dir: string): string[];
}

let cached: UploadBundle | undefined;

/**
 * The upload service (charts/im/upload/) as one CommonJS file for Node 20, compressed for a ConfigMap, run with the
 * pinned upstream node image: no image of our own. Deterministic (esbuild's output, and gzip with no timestamp),
 * so the config checksum changes only when the service does.
 */
export function uploadBundle(): UploadBundle {
  if (cached === undefined) {
    const js = buildPodScript("upload", {
      // pg loads its optional native binding only when asked for; it is not installed.
      external: ["pg-native"],
      // @azure/storage-common's ESM build calls createRequire(import.meta.url), which CommonJS output leaves
      // undefined: give it the bundle's own file URL.
      define: { "import.meta.url": "__bundleUrl" },
      banner: { js: 'var __bundleUrl=require("node:url").pathToFileURL(__filename).href;' },
    });
    // Node writes gzip headers with mtime 0, so equal input gives equal bytes.
    const base64 = gzipSync(js, { level: 9 }).toString("base64");
    if (base64.length > configMapLimitBytes) {
      throw new Error(`the upload bundle (${base64.length} bytes as base64) exceeds a ConfigMap's 1 MiB`);
    }
    cached = {
      binaryData: { [uploadBundleFile]: base64 },
      rawBytes: js.length,
      storedBytes: base64.length,
      command: (dir) => ["node", "-e", uploadLoader, join(dir, uploadBundleFile)],
    };
  }
  return cached;
}
