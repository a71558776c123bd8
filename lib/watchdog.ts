import { spawn } from "node:child_process";

/**
 * What stops the local runner's servers when the runner itself cannot: a
 * SIGKILL, an OOM kill, a crash. A detached shell reads instructions on a
 * pipe from this process; the pipe closing without "release" means this
 * process died, so the shell signals every registered process group, gives
 * them 5 s, kills what is left and removes the registered directories.
 */
export interface Watchdog {
  /** If this process dies: sends `signal` to the process group led by `pgid`, and KILL 5 s later. */
  guardGroup(pgid: number, signal: "TERM" | "QUIT"): void;
  /**
   * As guardGroup, for the group led by the PID on the first line of `file`, read when it is needed (the server may
   * still be starting now).
   */
  guardPidFile(file: string, signal: "TERM" | "QUIT"): void;
  /** Removes `dir` if this process dies, after the groups are gone. */
  guardDir(dir: string): void;
  /** Stands the watchdog down: call it once everything it guards was stopped normally. */
  release(): void;
}

const SCRIPT = `
groups=() pidfiles=() dirs=()
while IFS= read -r line; do
  case "$line" in
    "group "*) groups+=("\${line#group }") ;;
    "pidfile "*) pidfiles+=("\${line#pidfile }") ;;
    "dir "*) dirs+=("\${line#dir }") ;;
    release) exit 0 ;;
  esac
done
for p in "\${pidfiles[@]}"; do
  pid=$(head -n 1 -- "\${p#* }" 2>/dev/null)
  [[ "$pid" =~ ^[0-9]+$ ]] && groups+=("\${p%% *} $pid")
done
for g in "\${groups[@]}"; do set -- $g; kill -s "$1" -- "-$2" 2>/dev/null; done
sleep 5
for g in "\${groups[@]}"; do set -- $g; kill -s KILL -- "-$2" 2>/dev/null; done
for d in "\${dirs[@]}"; do rm -rf -- "$d"; done
`;

export function startWatchdog(): Watchdog {
  // Detached: a terminal's Ctrl-C reaches the runner, which stops everything itself while the watchdog stays up.
  const child = spawn("bash", ["-c", SCRIPT], { detached: true, stdio: ["pipe", "ignore", "ignore"] });
  child.unref();
  const pipe = child.stdin!;
  // The pipe must not keep this process alive, and a watchdog that died must not crash it (EPIPE).
  (pipe as unknown as { unref(): void }).unref();
  pipe.on("error", () => undefined);
  let released = false;
  const send = (line: string) => {
    if (!released) pipe.write(`${line}\n`);
  };
  return {
    guardGroup: (pgid, signal) => send(`group ${signal} ${pgid}`),
    guardPidFile: (file, signal) => send(`pidfile ${signal} ${file}`),
    guardDir: (dir) => send(`dir ${dir}`),
    release() {
      send("release");
      released = true;
      pipe.end();
    },
  };
}
