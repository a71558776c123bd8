import { randomBytes } from "node:crypto";
import { mkdirSync } from "node:fs";
import { createConnection } from "node:net";
import { join } from "node:path";
import { CreateBucketCommand, S3Client } from "@aws-sdk/client-s3";
import { BlobServiceClient, StorageSharedKeyCredential } from "@azure/storage-blob";
import type { ObjectStore } from "../charts/im/upload/store";
import { azureBlobStore } from "../charts/im/upload/stores/azure-blob";
import { s3Store } from "../charts/im/upload/stores/s3";
import { FailedError } from "../lib/errors";
import { freePorts, spawnGroup, stopGroup } from "../lib/host";
import { waitUntil } from "../lib/wait";
import type { Watchdog } from "../lib/watchdog";

/** The local stand-ins for the clouds' object stores: Azurite for Azure Blob, s3rver for S3 and OSS's S3 API. */
export const localObjectStoreKinds = ["azurite", "s3"] as const;
export type LocalObjectStoreKind = (typeof localObjectStoreKinds)[number];

/** How to reach a running local object store, in the shape each SDK takes. */
export type LocalObjectStoreAccess =
  | {
      kind: "azurite";
      /** Blob service URL (path style: `http://127.0.0.1:<port>/<account>`). */
      accountUrl: string;
      account: string;
      /** A key made for this run, not Azurite's published development key. */
      accountKey: string;
      container: string;
    }
  | {
      kind: "s3";
      endpoint: string;
      bucket: string;
      region: string;
      /** s3rver's fixed development credentials; s3rver 3.7.1 does not check SigV4 signatures, so they prove little. */
      accessKeyId: string;
      secretAccessKey: string;
    };

export interface LocalObjectStore {
  access: LocalObjectStoreAccess;
  /** The upload service's store for it: the same code the cluster runs, with the emulator's own credentials. */
  store: ObjectStore;
  stop(): Promise<void>;
}

const bin = (name: string) => join(__dirname, "..", "node_modules", ".bin", name);

/**
 * Starts Azurite's blob service or s3rver on a free loopback port with its
 * data in `dir`, and the one container or bucket the upload service writes
 * to. Each runs in its own process group, stopped by stop() or the watchdog.
 */
export async function startLocalObjectStore(
  kind: LocalObjectStoreKind,
  dir: string,
  watchdog?: Watchdog,
): Promise<LocalObjectStore> {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const [port] = await freePorts(1);
  const bucket = "warbler-uploads";
  const account = "warbler";
  const accountKey = randomBytes(64).toString("base64");
  const child =
    kind === "azurite"
      ? spawnGroup(
          bin("azurite-blob"),
          // The Azure SDK asks for a newer service version than Azurite 3.35 knows; the calls the upload service
          // makes are the same in both (https://github.com/Azure/Azurite#skip-api-version-check).
          [
            "--blobHost",
            "127.0.0.1",
            "--blobPort",
            String(port),
            "--location",
            dir,
            "--silent",
            "--disableTelemetry",
            "--skipApiVersionCheck",
          ],
          // Azurite serves the accounts this variable names instead of its published development account.
          { env: { ...process.env, AZURITE_ACCOUNTS: `${account}:${accountKey}` }, cwd: dir },
        )
      : spawnGroup(bin("s3rver"), ["--directory", dir, "--address", "127.0.0.1", "--port", String(port), "--silent"], {
          env: process.env,
          cwd: dir,
        });
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
  const pgid = child.pid!;
  watchdog?.guardGroup(pgid, "TERM");
  const exited = new AbortController();
  child.once("exit", (code, signal) => exited.abort(new Error(`${kind} exited (${code ?? signal})`)));
  const stop = () => stopGroup(pgid, "SIGTERM", 10_000);
  try {
    await waitUntil(() => listening(port), {
      what: `${kind} to listen on 127.0.0.1:${port}`,
      timeoutMs: 30_000,
      signal: exited.signal,
    });
  } catch (err) {
    await stop();
    throw new FailedError(`${kind} did not start (${(err as Error).message}): ${stderr.trim() || "no output"}`);
  }
  const access: LocalObjectStoreAccess =
    kind === "azurite"
      ? { kind, accountUrl: `http://127.0.0.1:${port}/${account}`, account, accountKey, container: bucket }
      : {
          kind,
          endpoint: `http://127.0.0.1:${port}`,
          bucket,
          region: "us-east-1",
          accessKeyId: "S3RVER",
          secretAccessKey: "S3RVER",
        };
  try {
    await createBucket(access);
  } catch (err) {
    await stop();
    throw new FailedError(`${kind}: creating ${bucket}: ${(err as Error).message}`);
  }
  return { access, store: storeFor(access), stop };
}

/** The store the upload service writes to, as it is built in the cluster but with the emulator's credentials. */
export function storeFor(access: LocalObjectStoreAccess): ObjectStore {
  if (access.kind === "azurite") {
    const credential = new StorageSharedKeyCredential(access.account, access.accountKey);
    return azureBlobStore({ accountUrl: access.accountUrl, container: access.container, credential });
  }
  const { accessKeyId, secretAccessKey } = access;
  return s3Store({
    bucket: access.bucket,
    region: access.region,
    endpoint: access.endpoint,
    forcePathStyle: true,
    credentials: { accessKeyId, secretAccessKey },
  });
}

/** The kits create the bucket in the cloud; here the emulator starts empty. */
async function createBucket(access: LocalObjectStoreAccess): Promise<void> {
  if (access.kind === "azurite") {
    const credential = new StorageSharedKeyCredential(access.account, access.accountKey);
    await new BlobServiceClient(access.accountUrl, credential).getContainerClient(access.container).create();
    return;
  }
  const { accessKeyId, secretAccessKey } = access;
  const client = new S3Client({
    region: access.region,
    endpoint: access.endpoint,
    forcePathStyle: true,
    credentials: { accessKeyId, secretAccessKey },
  });
  try {
    await client.send(new CreateBucketCommand({ Bucket: access.bucket }));
  } finally {
    client.destroy();
  }
}

function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: "127.0.0.1", port }, () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}
