import { z } from "zod";
import { parseCidr } from "../lib/cidr";
import { cidr } from "./fields";

/** The widest range /api and /admin may be opened to: 65,536 addresses, an office or VPN egress at most. */
const ADMIN_MIN_PREFIX = 16;

/** `warbler:im`: the ejabberd service. */
export const imSchema = z
  .strictObject({
    replicas: z.number().int().min(1).max(50).default(3).describe("ejabberd cluster nodes (StatefulSet replicas)."),
    image: z
      .string()
      // A registry host may carry a port (registry.example.com:5000/...), which is not a tag.
      .regex(
        /^([a-z0-9.-]+(:\d+)?\/)?[a-z0-9._/-]+(:[\w.-]+)?(@sha256:[a-f0-9]{64})?$/,
        "must be an image reference with a tag or digest, such as registry.example.com/warbler/ejabberd:24.12-s3upload",
      )
      .refine(
        (ref) => /[:@][^/]+$/.test(ref) && !ref.endsWith(":latest"),
        "must be pinned to a tag other than latest, or a digest",
      )
      // No default: ProcessOne's published images lack mod_s3_upload, and ejabberd refuses to start with an unknown
      // module.
      .describe(
        "ejabberd image with ejabberd-contrib's mod_s3_upload built in, from charts/im/image/Dockerfile " +
          "(docs/im.md, The ejabberd image).",
      ),
    admins: z
      .array(
        z
          .string()
          .regex(/^[a-z0-9._-]{1,64}$/, "must be an XMPP user name: lowercase letters, digits, '.', '_' or '-'"),
      )
      .min(1)
      .default(["admin"])
      .describe("User names (the part before @domain) of the administrators allowed on /api and /admin."),
    adminCidrs: z
      .array(
        cidr.refine((text) => (parseCidr(text)?.prefix ?? 32) >= ADMIN_MIN_PREFIX, {
          message:
            `must be a /${ADMIN_MIN_PREFIX} or narrower range (an office or VPN egress); /api and /admin are ` +
            `for allow-listed networks only`,
        }),
      )
      .default([])
      .describe(
        "Source CIDRs allowed to reach /api and /admin through the ingress; empty keeps them reachable only " +
          "by kubectl port-forward.",
      ),
    openRegistration: z
      .boolean()
      .default(false)
      .describe(
        "Let anyone create an account from a client (XEP-0077); otherwise only administrators create accounts.",
      ),
    maxUploadMb: z
      .number()
      .int()
      .min(1)
      .max(10240)
      .default(100)
      .describe("Largest file a user may upload (XEP-0363), in MiB."),
    turn: z.boolean().default(true).describe("Run a TURN server for voice and video calls and announce it to clients."),
    logLevel: z
      .enum(["critical", "error", "warning", "info", "debug"])
      .default("info")
      .describe("ejabberd log verbosity."),
  })
  .describe("The ejabberd IM service.");
