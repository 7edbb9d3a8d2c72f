/**
 * Human progress goes to stderr; `--json` documents go to stdout (DESIGN: command contract).
 * One reporter per command run, so tests can capture output and progress bars can be turned
 * into plain lines when stderr is not a TTY.
 */
export interface Reporter {
  readonly json: boolean;
  readonly tty: boolean;
  info(message: string): void;
  warn(message: string): void;
  /** A step that finished: `✓ built episodes/x/x.mp3 (3.1 MB)`. */
  done(message: string): void;
  debug(message: string): void;
  /** Print the command's one JSON document (only with --json). */
  result(value: unknown): void;
}

export interface ReporterOptions {
  json?: boolean;
  debug?: boolean;
  quiet?: boolean;
  stderr?: NodeJS.WritableStream & { isTTY?: boolean };
  stdout?: NodeJS.WritableStream;
}

export function createReporter(options: ReporterOptions = {}): Reporter {
  const stderr = options.stderr ?? process.stderr;
  const stdout = options.stdout ?? process.stdout;
  const tty = Boolean((stderr as { isTTY?: boolean }).isTTY) && !process.env['CI'];
  const quiet = Boolean(options.quiet);
  return {
    json: Boolean(options.json),
    tty,
    info: (m) => {
      if (!quiet) stderr.write(`${m}\n`);
    },
    warn: (m) => stderr.write(`warning: ${m}\n`),
    done: (m) => {
      if (!quiet) stderr.write(`✓ ${m}\n`);
    },
    debug: (m) => {
      if (options.debug) stderr.write(`debug: ${m}\n`);
    },
    result: (value) => {
      if (options.json) stdout.write(`${JSON.stringify(value, null, 2)}\n`);
    },
  };
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  if (n < 1024 * 1024 * 1024) return `${(n / 1024 / 1024).toFixed(1)} MB`;
  return `${(n / 1024 / 1024 / 1024).toFixed(2)} GB`;
}

