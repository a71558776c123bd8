import { type PlanDocument, planStack } from "../../plan";

export const PLATFORM_STACKS = ["aws", "azure", "alicloud"] as const;

/** Plans the three example platform stacks offline, two at a time (one per core). */
export async function planExamples(): Promise<Record<(typeof PLATFORM_STACKS)[number], PlanDocument>> {
  const [aws, azure] = await Promise.all([planStack("aws"), planStack("azure")]);
  const alicloud = await planStack("alicloud");
  return { aws, azure, alicloud };
}
