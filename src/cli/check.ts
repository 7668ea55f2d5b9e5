/**
 * `routesim check FILE... [--baseline DIR|FILE] [--update-baseline] [--rel-tol X] [--abs-tol Y]
 *  [--reporter text|junit] [--junit-out FILE] [--out DIR] [--no-html]`
 * Loads every scenario first (all problems reported together, exit 2), runs each, evaluates its `expect:`
 * block and, with --baseline, compares the standard metrics against the stored baseline within tolerances
 * (defaults in src/report/check-metrics.ts: latencies 10% or 5 ms, counts 10% or 2, ratios 5% or 0.02; a metric
 * passes within either). Writes report.json and report.html per scenario under --out (default
 * reports/check/<file>/). Under GitHub Actions (GITHUB_ACTIONS=true) prints ::error annotations.
 * Exit: 0 all passed; 1 something failed or regressed; 2 invalid input.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { basename, dirname, extname, join } from 'node:path';
import type { Argv } from 'yargs';
import { EXIT_CHECK_FAILED, EXIT_OK, type Problem, UserError } from '../core/errors.js';
import type { Baseline, CheckCase } from '../experiments/check/check.js';
import type { ScenarioRunner } from '../experiments/compare/runner.js';
import type { Scenario } from '../scenario/types.js';
import type { Command, Io } from './command.js';
import { numberFlag } from './number-flag.js';

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
  if (argv['update-baseline'] && !argv.baseline)
    throw new UserError('--update-baseline needs --baseline DIR|FILE');
  const stems = files.map(scenarioStem);
  const dup = stems.find((s, i) => stems.indexOf(s) !== i);
  if (dup)
    throw new UserError(`two scenarios share the name "${dup}"; their reports and baselines would collide`);

  const { defaultRunner } = await import('../experiments/compare/runner.js');
  const r = runner ?? (await defaultRunner());
  // Load everything first: a typo in the fifth file is reported before four simulations run.
  const scenarios: Scenario[] = [];
  const problems: Problem[] = [];
  for (const f of files) {
    try {
      scenarios.push(await r.load(f));
    } catch (err) {
      if (!(err instanceof UserError)) throw err;
      problems.push(
        ...(err.problems.length > 0 ? err.problems : [{ file: f, line: 0, column: 0, message: err.message }]),
      );
    }
  }
  if (problems.length > 0)
    throw new UserError(`${problems.length} problem(s) in the scenario files`, problems);

  const check = await import('../experiments/check/check.js');
  const cases: CheckCase[] = [];
  const updates: { path: string; old: Baseline | null; next: Baseline }[] = [];
  for (let i = 0; i < files.length; i++) {
    const file = files[i];
    const scenario = scenarios[i];
    const report = await r.run(scenario);
    const at = file;
    cases.push(...check.expectationCases(report, scenario.expect, at));
    const dir = join(argv.out ?? join('reports', 'check'), stems[i]);
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'report.json'), `${JSON.stringify(report, null, 2)}\n`);
    if (argv.html !== false) {
      const { reportHtml } = await import('../report/html.js');
      await writeFile(join(dir, 'report.html'), await reportHtml(report));
    }
    if (!argv.baseline) continue;
    const path = baselinePathFor(argv.baseline, file);
    const old = await check.readBaseline(path);
    if (argv['update-baseline']) {
      await mkdir(dirname(path), { recursive: true });
      const next = check.baselineOf(report, old);
      await writeFile(path, check.baselineJson(next));
      updates.push({ path, old, next });
      continue;
    }
    if (!old) {
      cases.push({
        suite: report.scenario,
        name: 'baseline',
        kind: 'baseline',
        pass: false,
        message: `no baseline at ${path} (run with --update-baseline to create it)`,
        file: at,
        line: 1,
        column: 1,
      });
      continue;
    }
    cases.push(...check.baselineCases(report, old, at, { rel_tol, abs_tol }));
  }

  const { baselineUpdateNote, checkText, githubAnnotations } = await import('../experiments/check/format.js');
  for (const u of updates) io.stdout(`${baselineUpdateNote(u.path, u.old, u.next)}\n`);
  io.stdout(checkText(cases, argv.verbose));
  if (env.GITHUB_ACTIONS === 'true') io.stdout(githubAnnotations(cases));
  if (argv.reporter === 'junit') {
    const { toJunit } = await import('../experiments/check/junit.js');
    const out = argv['junit-out'] ?? join(argv.out ?? join('reports', 'check'), 'junit.xml');
    await mkdir(dirname(out), { recursive: true });
    await writeFile(out, toJunit(cases));
    io.stdout(`wrote ${out}\n`);
  }
  return cases.some((c) => !c.pass) ? EXIT_CHECK_FAILED : EXIT_OK;
}
