/**
 * Errors the CLI turns into exit codes without a stack trace. Anything else is a bug: exit 3, its stack
 * printed only with --debug.
 */

/** Where in a file a problem is. */
export interface Problem {
  file: string;
  line: number;
  column: number;
  message: string;
  /** e.g. "did you mean `strategy`?" */
  suggestion?: string;
}

/** Invalid input (exit 2): a bad file, flag or value. Carries every problem found, not just the first. */
export class UserError extends Error {
  readonly problems: Problem[];
  constructor(message: string, problems: Problem[] = []) {
    super(message);
    this.name = 'UserError';
    this.problems = problems;
  }
}

/** Expectations or checks that did not hold (exit 1). The report was still written in full. */
export class CheckFailed extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CheckFailed';
  }
}

/** 0 ok; 1 an expectation or check failed (the report is whole); 2 invalid input; 3 an internal error (a bug). */
export const EXIT_OK = 0;
export const EXIT_CHECK_FAILED = 1;
export const EXIT_INVALID_INPUT = 2;
export const EXIT_INTERNAL_ERROR = 3;

/** `file:line:column: message (suggestion)`, the format editors and CI annotations understand. */
export function formatProblem(p: Problem): string {
  const where = p.line > 0 ? `${p.file}:${p.line}:${p.column}` : p.file;
  return `${where}: ${p.message}${p.suggestion ? ` (${p.suggestion})` : ''}`;
}
