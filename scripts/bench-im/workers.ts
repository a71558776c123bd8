import { type ChildProcess, fork } from "node:child_process";
import { join } from "node:path";
import type { WorkerPlan } from "./plan";
import type { FromWorker, ToWorker, WorkerInit } from "./protocol";

/** The forked client workers of one run, each answering one reply per request. */
export class Workers {
  private constructor(
    private readonly children: ChildProcess[],
    readonly plans: WorkerPlan[],
  ) {}

  /** Forks one worker per plan and initialises it. */
  static async start(plans: WorkerPlan[], init: Omit<WorkerInit, "type" | "plan">): Promise<Workers> {
    const children = plans.map(() =>
      fork(join(__dirname, "worker.ts"), [], {
        execArgv: ["--import", "tsx"],
        stdio: ["ignore", "ignore", "inherit", "ipc"],
      }),
    );
    const workers = new Workers(children, plans);
    await workers.ask(plans.map((plan) => ({ type: "init", plan, ...init })));
    return workers;
  }

  /** Sends request `i` to worker `i` and waits for every reply. */
  ask<T extends FromWorker>(requests: ToWorker[]): Promise<T[]> {
    return Promise.all(
      this.children.map(
        (child, i) =>
          new Promise<T>((ok, fail) => {
            const onExit = (code: number | null) => fail(new Error(`client worker ${i} exited (${code})`));
            child.once("exit", onExit);
            child.once("message", (m: T) => {
              child.off("exit", onExit);
              ok(m);
            });
            child.send(requests[i]);
          }),
      ),
    );
  }

  /** Sends the same request to every worker. */
  all<T extends FromWorker>(request: ToWorker): Promise<T[]> {
    return this.ask<T>(this.children.map(() => request));
  }

  stop(): void {
    for (const child of this.children) {
      if (child.connected) child.send({ type: "stop" } satisfies ToWorker);
      // Killed by its own PID if it does not exit on its own.
      setTimeout(() => child.exitCode === null && child.kill("SIGKILL"), 5000).unref();
    }
  }
}
