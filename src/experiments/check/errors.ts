/**
 * A scenario that `check` could not judge, as a CheckCase of its own, so that one bad or crashing file is
 * reported (text, JUnit <error>, GitHub annotation) beside the others instead of aborting them all.
 */
import { EXIT_INTERNAL_ERROR, EXIT_INVALID_INPUT, formatProblem, type Problem } from '../../core/errors.js';
import type { CheckCase } from './check.js';

/** The case of a file that did not load or could not be written: invalid input (exit 2). */
export function invalidInputCase(
  suite: string,
  file: string,
  message: string,
  problems: Problem[] = [],
): CheckCase {
  const first = problems[0];
  return {
    suite,
    name: 'could not run: invalid input',
    kind: 'error',
    exit: EXIT_INVALID_INPUT,
    pass: false,
    // Positions are worth listing; a problem without one says less than the error's own message.
    message: problems.some((p) => p.line > 0) ? problems.map(formatProblem).join('; ') : message,
    file: first?.file ?? file,
    line: first?.line ?? 0,
    column: first?.column ?? 0,
  };
}

/** The case of a scenario whose run failed with an internal error (exit 3); `message` is its one line. */
export function internalErrorCase(suite: string, file: string, message: string): CheckCase {
  return {
    suite,
    name: 'could not run: internal error',
    kind: 'error',
    exit: EXIT_INTERNAL_ERROR,
    pass: false,
    message,
    file,
    line: 0,
    column: 0,
  };
}
