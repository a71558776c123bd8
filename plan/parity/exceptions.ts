import { kitDescriptors } from "../../components/kits";
import type { ParityException } from "../../components/parity-cells";

/**
 * Every documented, named difference between clouds that parity accepts; each
 * kit declares those of its cloud (components/<cloud>/parity.ts).
 */
export const parityExceptions: ParityException[] = Object.values(kitDescriptors).flatMap(
  (kit) => kit.parity.exceptions,
);
