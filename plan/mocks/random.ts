import { createHash } from "node:crypto";
import * as pulumi from "@pulumi/pulumi";
import type { ProviderMocks } from "../../components/mock-types";

/**
 * @pulumi/random outputs, deterministic per resource name. Values the real
 * provider marks secret (RandomPassword's result and bcrypt hash,
 * RandomBytes' encodings) come back as secrets, so a plan shows where a
 * credential would flow without ever holding one.
 */

/** Deterministic bytes for a seed, as many as asked. */
function bytes(seed: string, length: number): Buffer {
  const chunks: Buffer[] = [];
  for (let i = 0; chunks.length * 32 < length; i++) chunks.push(createHash("sha256").update(`${seed}/${i}`).digest());
  return Buffer.concat(chunks).subarray(0, length);
}

const num = (v: unknown, fallback: number): number => (typeof v === "number" ? v : fallback);

/** A string of `length` characters from the sets the inputs allow. */
function randomText(seed: string, inputs: Record<string, unknown>): string {
  const length = num(inputs.length, 16);
  const sets = [
    inputs.upper === false ? "" : "ABCDEFGHIJKLMNOPQRSTUVWXYZ",
    inputs.lower === false ? "" : "abcdefghijklmnopqrstuvwxyz",
    inputs.numeric === false || inputs.number === false ? "" : "0123456789",
    inputs.special === false
      ? ""
      : typeof inputs.overrideSpecial === "string"
        ? inputs.overrideSpecial
        : "!@#$%&*()-_=+[]{}<>:?",
  ];
  const alphabet = sets.join("") || "abcdefghijklmnopqrstuvwxyz";
  return Array.from(bytes(seed, length), (b) => alphabet[b % alphabet.length]).join("");
}

export const randomMocks: ProviderMocks = {
  resources: {
    "random:index/randomPassword:RandomPassword": ({ name, inputs }) => {
      const result = randomText(`password/${name}`, inputs);
      return {
        id: "none",
        state: {
          result: pulumi.secret(result),
          bcryptHash: pulumi.secret(
            `$2a$10$${bytes(`bcrypt/${name}`, 40).toString("base64").replace(/[+=]/g, ".").slice(0, 53)}`,
          ),
        },
      };
    },
    "random:index/randomString:RandomString": ({ name, inputs }) => {
      const result = randomText(`string/${name}`, inputs);
      return { id: result, state: { result } };
    },
    "random:index/randomId:RandomId": ({ name, inputs }) => {
      const raw = bytes(`id/${name}`, num(inputs.byteLength, 8));
      const prefix = typeof inputs.prefix === "string" ? inputs.prefix : "";
      const b64Url = raw.toString("base64url");
      return {
        id: b64Url,
        state: {
          hex: `${prefix}${raw.toString("hex")}`,
          b64Std: `${prefix}${raw.toString("base64")}`,
          b64Url: `${prefix}${b64Url}`,
          dec: `${prefix}${BigInt(`0x${raw.toString("hex")}`).toString()}`,
        },
      };
    },
    "random:index/randomBytes:RandomBytes": ({ name, inputs }) => {
      const raw = bytes(`bytes/${name}`, num(inputs.length, 32));
      return {
        id: "none",
        state: { base64: pulumi.secret(raw.toString("base64")), hex: pulumi.secret(raw.toString("hex")) },
      };
    },
    "random:index/randomUuid:RandomUuid": ({ name }) => {
      const h = bytes(`uuid/${name}`, 16).toString("hex");
      const result = `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
      return { id: result, state: { result } };
    },
  },
  calls: {},
};
