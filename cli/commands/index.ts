import type { Command } from "commander";
import { registerAnalyticsCommand } from "./analytics";
import { registerComplianceCommand } from "./compliance";
import { registerFailoverCommand } from "./failover";
import { registerImCommand } from "./im";
import { registerImagesCommand } from "./images";
import { registerParityCommand } from "./parity";
import { registerPlanCommand } from "./plan";
import { registerPolicyCommand } from "./policy";

/** A CLI command module: adds one top-level command (with its subcommands) to the program. */
export type RegisterCommand = (program: Command) => void;

/**
 * Every top-level command, in the order `warbler --help` lists them. Each
 * module lives beside this file and owns its options and help text.
 */
export const commands: RegisterCommand[] = [
  registerPlanCommand,
  registerParityCommand,
  registerFailoverCommand,
  registerImCommand,
  registerImagesCommand,
  registerPolicyCommand,
  registerComplianceCommand,
  registerAnalyticsCommand,
];
