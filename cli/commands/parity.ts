import type { Command } from "commander";
import { clouds } from "../../config/clouds";
import { ArgumentChecks } from "../../lib/check";
import { ExitCode, InputError } from "../../lib/errors";
import { progress } from "../../lib/progress";
import { planStack } from "../../plan";
import type { ParityMatrix } from "../../plan/parity/matrix";

export function registerParityCommand(program: Command): void {
  program
    .command("parity")
    .description("Plan platform stacks offline and compare their security capabilities cell by cell.")
    // Each example stack is named after its cloud.
    .argument("[stacks...]", "platform stacks to compare (names from stacks/ or Pulumi.<stack>.yaml paths)", [
      ...clouds,
    ])
    .option("--json", "print the matrix, with the evidence behind every cell, as JSON")
    .addHelpText(
      "after",
      "\nEvery cell is computed from the planned resources' inputs. A difference between clouds fails unless " +
        "a named exception\n(docs/parity.md) explains it; so does a cell below the secure default.\nExit codes: " +
        "0 no unexplained difference, 1 a difference or an insecure cell, 2 bad stack config or arguments.",
    )
    .action(async (stacks: string[], options: { json?: boolean }) => {
      // Loaded here: the matrix reads every kit's parity cells, and so every cloud SDK, which other commands skip.
      const {
        failures,
        parityMatrix,
        renderMatrix,
      }: typeof import("../../plan/parity/matrix") = require("../../plan/parity/matrix");
      const check = new ArgumentChecks();
      check.require(stacks.length >= 2, "stacks", stacks, "must name at least two stacks to compare");
      check.throwIfAny(InputError);
      const log = progress();
      const done = log.step(`planning ${stacks.join(", ")}`);
      const plans = [];
      for (let i = 0; i < stacks.length; i += 2)
        plans.push(...(await Promise.all(stacks.slice(i, i + 2).map((s) => planStack(s)))));
      done();
      let matrix: ParityMatrix;
      try {
        matrix = parityMatrix(plans);
      } catch (err) {
        throw new InputError((err as Error).message);
      }
      const failed = failures(matrix);
      process.stdout.write(
        options.json ? `${JSON.stringify({ ...matrix, failures: failed }, null, 2)}\n` : renderMatrix(matrix),
      );
      if (!options.json && failed.length > 0)
        process.stderr.write(`parity failures:\n${failed.map((f) => `  - ${f}`).join("\n")}\n`);
      process.exitCode = failed.length > 0 ? ExitCode.failed : ExitCode.ok;
    });
}
