/**
 * Exit codes are part of the CLI contract (README, "Exit codes").
 * 0: success. 1: the command ran and found a failure (a mandatory policy
 * violation, a failed drill step). 2: the input was unusable (bad stack
 * config, unreadable file, wrong arguments).
 */
export const ExitCode = {
  ok: 0,
  failed: 1,
  badInput: 2,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** Raised for input a user must fix; the CLI prints `message` without a stack trace and exits 2. */
export class InputError extends Error {
  readonly exitCode = ExitCode.badInput;
  constructor(message: string) {
    super(message);
    this.name = "InputError";
  }
}

/** Raised when a command ran to the end and the result is a failure; exits 1. */
export class FailedError extends Error {
  readonly exitCode = ExitCode.failed;
  constructor(message: string) {
    super(message);
    this.name = "FailedError";
  }
}
