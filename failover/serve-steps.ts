import type { EngineStep } from "./engine";
import type { Site } from "./site";

/**
 * The last steps of every promotion, planned or emergency: the new primary's
 * IM service runs at full size, then its health endpoint turns healthy so
 * DNS sends users to it.
 */
export function serveSteps(to: Site): EngineStep[] {
  return [
    {
      name: "scale-up",
      description: `${to.name}'s IM service runs at full size`,
      run: async () => {
        await to.im.scaleUp();
        return "scaled up";
      },
    },
    {
      name: "unfence-health",
      description: `${to.name}'s IM health endpoint reports healthy (it may be fenced from an earlier switchover)`,
      run: async () => {
        await to.health.unfence();
        return "healthy";
      },
    },
  ];
}
