/** What a CLI command may touch; passed in so commands run the same in tests and in a terminal. */
export interface CliIo {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
  /** The real stderr stream, for terminal-only progress bars. */
  stderrStream: NodeJS.WriteStream;
  stdin: NodeJS.ReadableStream;
  env: NodeJS.ProcessEnv;
  cwd: string;
  homeDir: string;
  cpuCount: number;
}
