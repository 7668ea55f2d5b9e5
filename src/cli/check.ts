/**
 * `routesim check FILE... [--baseline DIR|FILE] [--update-baseline] [--rel-tol X] [--abs-tol Y]
 *  [--reporter text|junit] [--junit-out FILE] [--out DIR] [--no-html]`
 * Loads every scenario first (all problems reported together), runs each that loaded, evaluates its
 * `expect:` block and, with --baseline, compares the standard metrics against the stored baseline within
 * tolerances (defaults in src/report/check-metrics.ts: latencies 10% or 5 ms, counts 10% or 2, ratios 5% or
 * 0.02; a metric
 * passes within either). Writes report.json and report.html per scenario under --out (default
 * reports/check/<file>/). Under GitHub Actions (GITHUB_ACTIONS=true) prints ::error annotations.
 * A file that does not load, or whose run fails, is reported as an error case of its own (a JUnit <error>)
 * and the others still run. Exit: the worst over the files — 0 all passed; 1 something failed or regressed;
 * 2 invalid input (a flag, or a file that did not load); 3 an internal error in some file's run.
 */
import { statSync, writeFileSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import type { Argv } from 'yargs';
import { EXIT_CHECK_FAILED, EXIT_INTERNAL_ERROR, EXIT_OK, formatProblem, UserError } from '../core/errors.js';
import { openAtomic, writeFileAtomic } from '../core/output/atomic-file.js';
import type { CheckCase } from '../experiments/check/check.js';
import type { ScenarioRunner } from '../experiments/compare/runner.js';
import type { Scenario } from '../scenario/types.js';
import type { Command, Io } from './command.js';
import { numberFlag } from './number-flag.js';
import { internalErrorLine, pathProblem } from './report-error.js';
import { scenarioInputs } from './scenario-inputs.js';

export interface CheckArgs {
  files: string[];
  baseline?: string;
  'update-baseline'?: boolean;
  'rel-tol'?: number | string;
  'abs-tol'?: number | string;
  reporter?: 'text' | 'junit';
  'junit-out'?: string;
  out?: string;
  html?: boolean;
  verbose?: boolean;
  debug?: boolean;
}

export const command: Command<CheckArgs> = {
  command: 'check <files..>',
  describe: 'run scenarios, evaluate their expect: blocks and compare against a baseline (exit 1 on failure)',
  builder: (y: Argv) =>
    y
      .positional('files', {
        type: 'string',
        array: true,
        demandOption: true,
        describe: 'scenario files (YAML)',
      })
      .option('baseline', {
        type: 'string',
        describe: 'baseline folder (one <file>.json per scenario) or one .json file',
      })
      .option('update-baseline', {
        type: 'boolean',
        default: false,
        describe: 'rewrite the baseline from this run',
      })
      .option('rel-tol', {
        type: 'string',
        describe: 'relative tolerance for every metric (default per metric: 0.1 or 0.05)',
      })
      .option('abs-tol', {
        type: 'string',
        describe: 'absolute tolerance for every metric (default per metric)',
      })
      .option('reporter', {
        choices: ['text', 'junit'] as const,
        default: 'text' as const,
        describe: 'junit also writes JUnit XML',
      })
      .option('junit-out', { type: 'string', describe: 'JUnit XML path (default <out>/junit.xml)' })
      .option('out', {
        type: 'string',
        default: join('reports', 'check'),
        describe: 'where reports are written',
      })
      .option('html', {
        type: 'boolean',
        default: true,
        describe: 'write report.html per scenario (--no-html to skip)',
      })
      .option('verbose', { type: 'boolean', default: false, describe: 'list passing checks too' }),
  run: checkCommand,
};

/** File stem of a scenario: `scenarios/quickstart.yaml` -> `quickstart` (names its baseline and report folder). */
function scenarioStem(file: string): string {
  return basename(file, extname(file));
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** Where the baseline of `file` lives: `<dir>/<stem>.json`, or the given .json file itself. */
function baselinePathFor(baseline: string, file: string): string {
  return extname(baseline).toLowerCase() === '.json'
    ? baseline
    : join(baseline, `${scenarioStem(file)}.json`);
}

/** The command, callable from tests with an injected runner and environment. */
async function checkCommand(
  argv: CheckArgs,
  io: Io,
  runner?: ScenarioRunner,
  env: Record<string, string | undefined> = process.env,
): Promise<number> {
  const files = argv.files ?? [];
  if (files.length === 0) throw new UserError('check needs at least one scenario file');
  const rel_tol = numberFlag('--rel-tol', argv['rel-tol'], 'non-negative');
  const abs_tol = numberFlag('--abs-tol', argv['abs-tol'], 'non-negative');
  if (argv.baseline && extname(argv.baseline).toLowerCase() === '.json' && files.length > 1) {
    throw new UserError(
      `--baseline ${argv.baseline} is one file but ${files.length} scenarios were given; pass a folder`,
    );
  }
  if (argv.baseline && extname(argv.baseline).toLowerCase() !== '.json' && isFile(argv.baseline)) {
    // It was read as a folder: "x.yaml/quickstart.json: cannot open: a file stands where a folder is needed".
    throw new UserError(
      `--baseline ${argv.baseline} is a file, not a folder of <scenario>.json baselines nor a .json baseline`,
    );
  }
  if (argv['update-baseline'] && !argv.baseline)
    throw new UserError('--update-baseline needs --baseline DIR|FILE');
  const stems = files.map(scenarioStem);
  const dup = stems.find((s, i) => stems.indexOf(s) !== i);
  if (dup)
    throw new UserError(`two scenarios share the name "${dup}"; their reports and baselines would collide`);

  const out = argv.out ?? join('reports', 'check');
  const junit = argv.reporter === 'junit' ? (argv['junit-out'] ?? join(out, 'junit.xml')) : null;
  // Tried before any run: a JUnit path that cannot be written was refused only after every scenario ran.
  if (junit !== null) openAtomic(junit, { label: '--junit-out', inputs: files }).abort();

  const { defaultRunner } = await import('../experiments/compare/runner.js');
  const r = runner ?? (await defaultRunner());
  const check = await import('../experiments/check/check.js');
  const { internalErrorCase, invalidInputCase } = await import('../experiments/check/errors.js');
  const debug = argv.debug === true || env.ROUTESIM_DEBUG === '1';
  // Load everything first: a typo in the fifth file is reported before four simulations run. A file that
  // does not load, or cannot run, is its own error case; the others still run.
  const scenarios: (Scenario | null)[] = [];
  const cases: CheckCase[] = [];
  for (let i = 0; i < files.length; i++) {
    try {
      scenarios.push(await r.load(files[i]));
    } catch (err) {
      scenarios.push(null);
      if (err instanceof UserError) {
        for (const p of err.problems) io.stderr(`${formatProblem(p)}\n`);
        if (err.problems.length === 0) io.stderr(`error: ${err.message}\n`);
        // What was wrong, even without a position: "1 problem in x.yaml" was all a missing file's case said.
        const why = err.problems.length > 0 ? err.problems.map(formatProblem).join('; ') : err.message;
        cases.push(invalidInputCase(stems[i], files[i], why, err.problems));
      } else cases.push(crashed(stems[i], files[i], err));
    }
  }

  const notes: string[] = [];
  for (let i = 0; i < files.length; i++) {
    const scenario = scenarios[i];
    if (!scenario) continue;
    try {
      cases.push(...(await checkOne(files[i], scenario, join(out, stems[i]))));
    } catch (err) {
      const fsProblem = pathProblem(err);
      if (err instanceof UserError || fsProblem) {
        const message = fsProblem ?? (err as UserError).message;
        io.stderr(`error: ${message}\n`);
        cases.push(invalidInputCase(scenario.name, files[i], message, (err as UserError).problems));
        continue;
      }
      cases.push(crashed(scenario.name, files[i], err));
    }
  }

  /** An internal error in one file: its line on stderr (the stack with --debug) and its error case. */
  function crashed(suite: string, file: string, err: unknown): CheckCase {
    const line = internalErrorLine(err);
    io.stderr(`error: ${file}: ${line}\n`);
    if (debug && err instanceof Error && err.stack) io.stderr(`${err.stack}\n`);
    return internalErrorCase(suite, file, line);
  }

  /** The cases of one scenario; writes its report folder and, with --update-baseline, its baseline. */
  async function checkOne(file: string, scenario: Scenario, dir: string): Promise<CheckCase[]> {
    const report = await r.run(scenario);
    const mine = check.expectationCases(report, scenario.expect, file);
    const inputs = scenarioInputs(scenario);
    const baselinePath = argv.baseline ? baselinePathFor(argv.baseline, file) : null;
    const { writeReportFolder, toJson } = await import('../report/formats.js');
    await writeReportFolder(
      { dir, label: '--out', inputs: baselinePath ? [...inputs, baselinePath] : inputs },
      {
        owned: ['report.json', 'report.html'],
        marker: 'report.json',
        texts: () => ({ 'report.json': toJson(report) }),
        ...(argv.html !== false
          ? {
              draw: async (stage: string) => {
                const { reportHtml } = await import('../report/html.js');
                writeFileSync(join(stage, 'report.html'), await reportHtml(report));
              },
            }
          : {}),
      },
    );
    if (!baselinePath) return mine;
    const old = await check.readBaseline(baselinePath);
    if (argv['update-baseline']) {
      const next = check.baselineOf(report, old);
      writeFileAtomic(baselinePath, check.baselineJson(next), { label: '--baseline', inputs });
      const { baselineUpdateNote } = await import('../experiments/check/format.js');
      notes.push(baselineUpdateNote(baselinePath, old, next));
      return mine;
    }
    if (!old) {
      mine.push({
        suite: report.scenario,
        name: 'baseline',
        kind: 'baseline',
        pass: false,
        message: `no baseline at ${baselinePath} (run with --update-baseline to create it)`,
        file,
        line: 1,
        column: 1,
      });
      return mine;
    }
    return [...mine, ...check.baselineCases(report, old, file, { rel_tol, abs_tol })];
  }

  const { checkText, githubAnnotations } = await import('../experiments/check/format.js');
  for (const n of notes) io.stdout(`${n}\n`);
  io.stdout(checkText(cases, argv.verbose));
  if (env.GITHUB_ACTIONS === 'true') io.stdout(githubAnnotations(cases));
  if (junit !== null) {
    const { toJunit } = await import('../experiments/check/junit.js');
    writeFileAtomic(junit, toJunit(cases), { label: '--junit-out', inputs: files });
    io.stdout(`wrote ${junit}\n`);
  }
  return worstExit(cases);
}

/** The overall exit code: the worst of the files' (0 < 1 failed < 2 invalid input < 3 internal error). */
function worstExit(cases: readonly CheckCase[]): number {
  let code = EXIT_OK;
  for (const c of cases) {
    if (c.kind === 'error') code = Math.max(code, c.exit ?? EXIT_INTERNAL_ERROR);
    else if (!c.pass) code = Math.max(code, EXIT_CHECK_FAILED);
  }
  return code;
}
