import type { ShapeKey } from "../../lib/im-sizing";
import type { Machine, SizeTable } from "../contract";

/**
 * AKS node sizes: Dsv5, general purpose with premium disks and 4 GiB per vCPU,
 * the same class as m6i (AWS) and g7 (Alibaba).
 */
export const nodeSizes: SizeTable = {
  small: { type: "Standard_D2s_v5", vcpu: 2, memoryGiB: 8 },
  medium: { type: "Standard_D4s_v5", vcpu: 4, memoryGiB: 16 },
  large: { type: "Standard_D8s_v5", vcpu: 8, memoryGiB: 32 },
  xlarge: { type: "Standard_D16s_v5", vcpu: 16, memoryGiB: 64 },
};

/**
 * Memory-optimised shape (lib/im-sizing.ts `memoryOptimisedShapes`, 8 GiB per vCPU) to AKS VM size for the ejabberd
 * pool: Esv5, whose E2s to E32s and E64s have exactly these vCPUs and GiB, take premium disks like the Dsv5 pools and
 * run the same Azure Linux node image (https://learn.microsoft.com/en-us/azure/virtual-machines/sizes/memory-optimized/
 * esv5-series, "Sizes in series"). Not the constrained-vCPU sizes (E16-4s_v5 and the like): their vCPUs are fewer.
 */
export const imNodeSizes: Record<ShapeKey, Machine> = {
  "2x16": { type: "Standard_E2s_v5", vcpu: 2, memoryGiB: 16 },
  "4x32": { type: "Standard_E4s_v5", vcpu: 4, memoryGiB: 32 },
  "8x64": { type: "Standard_E8s_v5", vcpu: 8, memoryGiB: 64 },
  "16x128": { type: "Standard_E16s_v5", vcpu: 16, memoryGiB: 128 },
  "32x256": { type: "Standard_E32s_v5", vcpu: 32, memoryGiB: 256 },
  "64x512": { type: "Standard_E64s_v5", vcpu: 64, memoryGiB: 512 },
};

/** PostgreSQL Flexible Server tier of every database SKU below; Burstable cannot run zone-redundant HA. */
export const databaseTier = "GeneralPurpose";

/** PostgreSQL Flexible Server SKUs: General Purpose Ddsv5, 4 GiB per vCPU. */
export const databaseSizes: SizeTable = {
  small: { type: "Standard_D2ds_v5", vcpu: 2, memoryGiB: 8 },
  medium: { type: "Standard_D4ds_v5", vcpu: 4, memoryGiB: 16 },
  large: { type: "Standard_D8ds_v5", vcpu: 8, memoryGiB: 32 },
  xlarge: { type: "Standard_D16ds_v5", vcpu: 16, memoryGiB: 64 },
};

/** Storage sizes Flexible Server offers (GiB); any other value is rejected by the API. */
export const flexibleServerStorageSizes = [32, 64, 128, 256, 512, 1024, 2048, 4096, 8192, 16384, 32767] as const;

/** The smallest offered size that holds `requestedGb`: config asks for at least, never less. */
export function flexibleServerStorageGb(requestedGb: number): number {
  const fit = flexibleServerStorageSizes.find((size) => size >= requestedGb);
  if (fit === undefined)
    throw new RangeError(
      `'storageGb' (${requestedGb}) exceeds Flexible Server's largest size, ${flexibleServerStorageSizes.at(-1)} GiB`,
    );
  return fit;
}
