/** The I/O a CLI command receives, so commands are testable without a terminal. */
export interface CliIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  isTTY: boolean;
}

/** A CLI command: argv after the command name in, exit code out. */
export type CliCommand = (argv: string[], io: CliIo) => Promise<number>;
