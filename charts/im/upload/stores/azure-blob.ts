import type { Readable } from "node:stream";
import { DefaultAzureCredential, type TokenCredential } from "@azure/identity";
import { BlobServiceClient, type StorageSharedKeyCredential } from "@azure/storage-blob";
import type { ObjectStore } from "../store";

export interface AzureBlobStoreOptions {
  /** `https://<account>.blob.core.windows.net` (or Azurite's `http://127.0.0.1:<port>/<account>`). */
  accountUrl: string;
  container: string;
  /**
   * @default - DefaultAzureCredential, whose WorkloadIdentityCredential reads AZURE_CLIENT_ID, AZURE_TENANT_ID and
   * AZURE_FEDERATED_TOKEN_FILE, which AKS workload identity's webhook injects into the pod
   * (https://learn.microsoft.com/en-us/azure/aks/workload-identity-overview)
   */
  credential?: TokenCredential | StorageSharedKeyCredential;
}

// Streamed in blocks of 4 MiB, two in flight: at most ~8 MiB of one upload in memory.
const blockSize = 4 * 1024 * 1024;
const blocksInFlight = 2;

/**
 * Azure Blob Storage with @azure/storage-blob. No encryption option is sent: the storage account encrypts every
 * write with its customer-managed key (components/azure/bucket.ts), which Azure applies at the account level to all
 * data written (https://learn.microsoft.com/en-us/azure/storage/common/customer-managed-keys-overview).
 */
export function azureBlobStore(o: AzureBlobStoreOptions): ObjectStore {
  const service = new BlobServiceClient(o.accountUrl, o.credential ?? new DefaultAzureCredential());
  const container = service.getContainerClient(o.container);
  const status = (err: unknown) => (err as { statusCode?: number }).statusCode;
  return {
    kind: "azure-blob",
    async put(key, body, _size, contentType) {
      // Blocks are committed only after the body ended; a body that errors leaves uncommitted blocks, which Azure
      // discards (after a week), never a partial blob.
      await container
        .getBlockBlobClient(key)
        .uploadStream(body, blockSize, blocksInFlight, { blobHTTPHeaders: { blobContentType: contentType } });
    },
    async head(key) {
      try {
        const p = await container.getBlobClient(key).getProperties();
        return { size: p.contentLength ?? 0, contentType: p.contentType ?? "application/octet-stream" };
      } catch (err) {
        if (status(err) === 404) return undefined;
        throw err;
      }
    },
    async get(key) {
      try {
        const r = await container.getBlobClient(key).download();
        return {
          size: r.contentLength ?? 0,
          contentType: r.contentType ?? "application/octet-stream",
          body: r.readableStreamBody as Readable,
        };
      } catch (err) {
        if (status(err) === 404) return undefined;
        throw err;
      }
    },
    async delete(key) {
      await container.getBlobClient(key).deleteIfExists();
    },
  };
}
