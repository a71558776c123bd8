// Runs one offline plan in its own process (Pulumi's mocks are process-global)
// and writes the plan document as JSON to the file named by argv[3]; argv[4], if given, names the pack config.
import { writeFileSync } from "node:fs";
import { planInProcess } from "./plan-in-process";

async function run(): Promise<number> {
  const [stackOrPath, outFile, packConfigFile] = process.argv.slice(2);
  try {
    const doc = await planInProcess(stackOrPath, packConfigFile);
    writeFileSync(outFile, JSON.stringify(doc));
    return 0;
  } catch (err) {
    const exitCode = (err as { exitCode?: unknown }).exitCode === 2 ? 2 : 1;
    process.stderr.write(exitCode === 2 ? `${(err as Error).message}\n` : `${(err as Error).stack ?? String(err)}\n`);
    return exitCode;
  }
}

void run().then((code) => process.exit(code));
