import { Command, CommanderError } from "commander";
import { ExitCode } from "../lib/errors";
import { commands } from "./commands";

export function buildProgram(): Command {
  const program = new Command("warbler")
    .description("Warbler: one IM platform on AWS, Azure and Alibaba Cloud, with failover and a policy pack.")
    .showHelpAfterError()
    .exitOverride();
  // Subcommands inherit exitOverride, so usage errors anywhere map to exit 2.
  for (const register of commands) register(program);
  return program;
}

/** Runs the CLI and resolves to its exit code; never throws for user errors. */
export async function main(argv: string[]): Promise<number> {
  try {
    await buildProgram().parseAsync(argv);
    return typeof process.exitCode === "number" ? process.exitCode : ExitCode.ok;
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version arrive here as "errors" with exit code 0.
      return err.exitCode === 0 ? ExitCode.ok : ExitCode.badInput;
    }
    const code = (err as { exitCode?: unknown }).exitCode;
    if (code === ExitCode.badInput || code === ExitCode.failed) {
      process.stderr.write(`warbler: ${(err as Error).message}\n`);
      return code;
    }
    process.stderr.write(`warbler: unexpected error\n${(err as Error).stack ?? String(err)}\n`);
    return ExitCode.failed;
  }
}
