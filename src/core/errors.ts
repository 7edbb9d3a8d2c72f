/**
 * Errors that say what happened, why, and what to do (STYLE §4, after astro's errors-data).
 * Every error castline raises on purpose is a CastlineError: the CLI prints its message and
 * hint without a stack trace (unless --debug) and exits non-zero.
 */

import { ERRORS, type ErrorCode } from './errors-data.js';

export type { ErrorCode } from './errors-data.js';

export type Severity = 'error' | 'warning';

/** One problem found in one file: `file → dot.path: message` plus a hint. */
export interface Problem {
  severity: Severity;
  /** Permanent name from the catalogue (errors-data.ts), e.g. `schema`, `cover-not-square`. */
  code: ErrorCode;
  /** Path relative to the show root where possible. */
  file: string;
  /** Dot path inside the file (`owner.email`, `corrections[0].date`); empty for the whole file. */
  path?: string;
  message: string;
  hint?: string;
}

export interface CastlineErrorOptions {
  hint?: string;
  /** What state the command left the user's files in, when it changed them. */
  state?: string;
  exitCode?: number;
  cause?: unknown;
  /** Extra context printed with --debug (command lines, stderr tails). */
  details?: string;
}

export class CastlineError extends Error {
  readonly code: ErrorCode;
  readonly hint: string | undefined;
  readonly state: string | undefined;
  readonly exitCode: number;
  readonly details: string | undefined;

  /** `options.hint` says what to do in this case; without one the catalogue's general hint is printed. */
  constructor(code: ErrorCode, message: string, options: CastlineErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'CastlineError';
    this.code = code;
    this.hint = options.hint ?? ERRORS[code]?.hint;
    this.state = options.state;
    this.exitCode = options.exitCode ?? 1;
    this.details = options.details;
  }
}

/** Many problems at once (validation): all are reported, not only the first. */
export class ProblemsError extends CastlineError {
  readonly problems: Problem[];

  constructor(problems: Problem[], summary?: string, options: Pick<CastlineErrorOptions, 'state' | 'cause'> = {}) {
    const errors = problems.filter((p) => p.severity === 'error');
    super('problems', summary ?? `${errors.length} problem${errors.length === 1 ? '' : 's'} found`, options);
    this.name = 'ProblemsError';
    this.problems = problems;
  }
}

export function formatProblem(p: Problem): string {
  const where = p.path ? `${p.file} → ${p.path}` : p.file;
  const head = `${p.severity === 'warning' ? 'warning' : 'error'}: ${where}: ${p.message}`;
  return p.hint ? `${head}\n    hint: ${p.hint}` : head;
}

export function hasErrors(problems: readonly Problem[]): boolean {
  return problems.some((p) => p.severity === 'error');
}

export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
