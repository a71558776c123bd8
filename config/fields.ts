import { z } from "zod";
import { caBundleProblem } from "../lib/ca-bundle";
import { cidrProblem } from "../lib/cidr";

/** Reusable field types, so the same rule reads the same everywhere in the schema. */

export const cidr = z.string().superRefine((value, ctx) => {
  const problem = cidrProblem(value);
  if (problem) ctx.addIssue({ code: "custom", message: problem });
});

export const cidrList = z.array(cidr);

/** PEM CA certificates a client verifies a server against. */
export const caBundle = z.string().superRefine((value, ctx) => {
  const problem = caBundleProblem(value);
  if (problem) ctx.addIssue({ code: "custom", message: problem });
});

const HOSTNAME_RE = /^(?=.{4,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
export const hostname = z
  .string()
  .regex(HOSTNAME_RE, "must be a lowercase DNS name with at least two labels, such as chat.example.com");

const EMAIL_RE = /^[^\s@]+@([a-z0-9-]+\.)+[a-z]{2,}$/i;
export const email = z.string().regex(EMAIL_RE, "must be an e-mail address such as ops@example.com");

/** Names that end up inside cloud resource names: lowercase, digits and dashes. */
export const shortName = (max: number) =>
  z
    .string()
    .regex(
      new RegExp(`^[a-z][a-z0-9-]{0,${max - 2}}[a-z0-9]$`),
      `must be 2-${max} lowercase letters, digits or dashes, starting with a letter`,
    );
