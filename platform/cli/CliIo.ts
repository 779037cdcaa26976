/** What a command may touch of the outside world. Tests pass their own; `bin.ts` passes the process's. */
export interface CliIo {
  readonly stdout: { write(text: string): unknown; readonly isTTY?: boolean };
  readonly stderr: { write(text: string): unknown; readonly isTTY?: boolean };
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  /**
   * Resolves when the process is asked to stop (SIGINT, SIGTERM). Only long-running commands call it: it
   * takes over the signals, which otherwise end the process at once.
   */
  readonly waitForStop?: () => Promise<string>;
}
