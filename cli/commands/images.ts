import type { Command } from "commander";
import { loadConfig } from "../../config/load";
import { readStackFile } from "../../config/stack-file";
import { InputError } from "../../lib/errors";
import { planStack } from "../../plan";
import { type StackImages, stackImages } from "../../plan/images";

interface ImagesCommandOptions {
  json?: boolean;
}

export function registerImagesCommand(program: Command): void {
  program
    .command("images")
    .description(
      "List every container image and Helm chart a stack pulls, after `cluster.registryMirror`, with the upstream " +
        "source of each: what to copy to the mirror before the first `pulumi up`.",
    )
    .argument("<stack>", "stack name from stacks/ (alicloud, ...) or path to a Pulumi.<stack>.yaml file")
    .option("--json", "print the listing as JSON")
    .addHelpText("after", "\nExit codes: 0 listed, 1 planning failed, 2 bad stack config or arguments.")
    .action(async (stack: string, options: ImagesCommandOptions) => {
      const listing = await listImages(stack);
      process.stdout.write(options.json ? `${JSON.stringify(listing, null, 2)}\n` : renderImages(listing));
    });
}

/** Plans the stack offline and lists what it pulls; a global stack pulls nothing and is refused. */
export async function listImages(stack: string): Promise<StackImages> {
  const file = readStackFile(stack);
  const { kitDescriptors }: typeof import("../../components/kits") = require("../../components/kits");
  const config = loadConfig(file.config, {
    cloudRules: kitDescriptors,
    secretKeys: file.secretKeys,
    source: file.path,
  });
  if (config.kind !== "platform")
    throw new InputError(`'stack' (${JSON.stringify(stack)}) is a ${config.kind} stack, which runs no images`);
  return stackImages(await planStack(stack), config);
}

/** The human listing: images (pulled ← copy from), charts, and charts whose images only change registry. */
export function renderImages(listing: StackImages): string {
  const mirror = listing.mirror;
  const lines = [
    `Stack ${listing.stack}: ${listing.images.length} images, ${listing.charts.length} Helm charts`,
    `  mirror: images ${mirror?.images ?? "(none)"}, charts ${mirror?.charts ?? "(none)"}`,
    "Images (pulled <- copy from):",
  ];
  for (const image of listing.images) {
    const flag = mirror?.images && !image.mirrored ? "  [NOT ON THE MIRROR]" : "";
    lines.push(`  ${image.image} <- ${image.source ?? "(upstream unknown)"}${flag}`);
    lines.push(`      used by ${image.usedBy.join(", ")}`);
  }
  lines.push("Helm charts (pulled <- copy from):");
  for (const chart of listing.charts) {
    const pulled = chart.repo ? `${chart.chart} from ${chart.repo}` : chart.chart;
    const source = chart.source.repo ? `${chart.source.chart} from ${chart.source.repo}` : chart.source.chart;
    lines.push(`  ${chart.release} ${chart.version}: ${pulled} <- ${source}`);
  }
  for (const chart of listing.renderedByChart) {
    lines.push(
      `Images of ${chart.release}: each chart image with its registry replaced by ${chart.registry}; list them ` +
        `with \`helm template\` of the chart at the version above.`,
    );
  }
  const missing = listing.images.filter((i) => mirror?.images && !i.mirrored).length;
  if (missing > 0) lines.push(`${missing} images are not pulled through the mirror: copy them or fix the stack.`);
  return `${lines.join("\n")}\n`;
}
