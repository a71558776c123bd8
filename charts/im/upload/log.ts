/** One structured record per request or event: a JSON line. */
export type LogSink = (record: object) => void;

/** JSON lines on stdout, with a timestamp; what the cluster's log collector reads. */
export const stdoutLog: LogSink = (record) => {
  process.stdout.write(`${JSON.stringify({ time: new Date().toISOString(), ...record })}\n`);
};

/**
 * A request path fit for a log: the token (`?v=`) is dropped, since it authorises an upload, and so is the file name,
 * which is user content; the owner (a hash) and the random segment identify the slot well enough.
 */
export function loggedPath(key: string | undefined, rawUrl: string): string {
  if (key === undefined) return rawUrl.split("?")[0].slice(0, 200);
  const [owner, random] = key.split("/");
  return `${owner}/${random}/…`;
}
