/**
 * An inference-perf workload profile (the `profile.yaml` / `config.yml` its CLI takes, JSON or YAML), read
 * as far as it decides the traffic: data `shared_prefix` (system prompts, users per prompt, question and
 * output lengths, multi-turn flag), load `constant` or `poisson` in stages of rate x duration, and the
 * client's request timeout (300 s, the client library's default, when the profile sets none). Keys this
 * reader does not use (api, server, report, storage, tokenizer...) are ignored, as inference-perf's own
 * would be by another tool; a key it does use with a wrong value is a UserError at file:line:column.
 * Both spellings of the shared-prefix counts are accepted: num_unique_system_prompts /
 * num_users_per_system_prompt (the profile) and num_groups / num_prompts_per_group (the resolved config).
 */
import { readFileSync } from 'node:fs';
import { isMap, isSeq, LineCounter, type Node, parseDocument } from 'yaml';
import { type Problem, UserError } from '../../core/errors.js';
import {
  INFERENCE_PERF_LOADS,
  type InferencePerfProfile,
  type InferencePerfStage,
} from '../../core/types.js';

/** The client timeout when the profile names none: the HTTP client's default, 5 minutes. */
const DEFAULT_REQUEST_TIMEOUT_S = 300;
const LOAD_TYPES = INFERENCE_PERF_LOADS;
/** Bounds on what one profile may ask for (a run is at most a day; rates up to 100,000 req/s). */
const MAX_STAGE_RATE = 100_000;
const MAX_STAGE_DURATION_S = 86_400;
const MAX_TOKENS_PER_PART = 1_000_000;
const MAX_PROMPTS = 100_000;

type Path = (string | number)[];

/** Reads and checks `file`. Throws UserError (every problem, file:line:column) when it is not usable. */
export function readInferencePerfProfile(file: string): InferencePerfProfile {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new UserError(`${file}: cannot read the inference-perf profile (${(err as Error).message})`);
  }
  return parseInferencePerfProfile(text, file);
}

/** Parses profile text; `file` names it in messages. Throws UserError listing every problem. */
export function parseInferencePerfProfile(text: string, file: string): InferencePerfProfile {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: true });
  const problems: Problem[] = [];
  const at = (offset: number | undefined) => {
    const p = lines.linePos(offset ?? 0);
    return { line: p.line, column: p.col };
  };
  for (const e of doc.errors) {
    problems.push({ file, ...at(e.pos[0]), message: e.message.split(/ at line \d+/)[0].trim() });
  }
  if (problems.length > 0) throw failure(file, problems);
  const root = doc.contents as Node | null;
  const nodeAt = (path: Path): Node | null => {
    let n: Node | null = root;
    for (const k of path) {
      if (n === null) return null;
      if (isMap(n)) n = (n.get(k, true) as Node | undefined) ?? null;
      else if (isSeq(n)) n = (n.get(k as number, true) as Node | undefined) ?? null;
      else return null;
    }
    return n;
  };
  /** Where a problem at `path` is shown: its node, else the nearest parent that exists. */
  const where = (path: Path) => {
    for (let k = path.length; k >= 0; k--) {
      const n = nodeAt(path.slice(0, k));
      if (n?.range) return at(n.range[0]);
    }
    return { line: 1, column: 1 };
  };
  const data = doc.toJS() as unknown;
  const get = (path: Path): unknown => {
    let v: unknown = data;
    for (const k of path) {
      if (v === null || typeof v !== 'object') return undefined;
      v = (v as Record<string | number, unknown>)[k];
    }
    return v;
  };
  const bad = (path: Path, message: string) =>
    problems.push({ file, ...where(path), message: `${path.join('.')}: ${message}` });

  /** A required number in [min, max] (whole when `int`); NaN when it is missing or wrong. */
  const num = (path: Path, min: number, max: number, int: boolean, fallback?: number): number => {
    const range = min === Number.MIN_VALUE ? `above 0, at most ${max}` : `from ${min} to ${max}`;
    const v = get(path);
    if (v === undefined || v === null) {
      if (fallback !== undefined) return fallback;
      bad(path, `missing; expected ${int ? 'a whole number' : 'a number'} ${range}`);
      return Number.NaN;
    }
    if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max || (int && !Number.isInteger(v))) {
      bad(path, `expected ${int ? 'a whole number' : 'a number'} ${range}, got ${JSON.stringify(v)}`);
      return Number.NaN;
    }
    return v;
  };
  const either = (base: Path, a: string, b: string, min: number, max: number): number =>
    get([...base, a]) === undefined && get([...base, b]) !== undefined
      ? num([...base, b], min, max, true)
      : num([...base, a], min, max, true);

  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    bad([], 'expected a mapping with `data:` and `load:` (an inference-perf profile)');
    throw failure(file, problems);
  }
  const dataType = get(['data', 'type']);
  if (dataType !== 'shared_prefix') {
    bad(
      dataType === undefined ? ['data'] : ['data', 'type'],
      `expected type shared_prefix (the only inference-perf data type routesim generates), got ${JSON.stringify(dataType ?? null)}`,
    );
  }
  const sp = ['data', 'shared_prefix'];
  const multi = get([...sp, 'enable_multi_turn_chat']);
  if (multi !== undefined && multi !== null && typeof multi !== 'boolean')
    bad([...sp, 'enable_multi_turn_chat'], `expected true or false, got ${JSON.stringify(multi)}`);
  const prof: InferencePerfProfile['data'] = {
    system_prompts: either(sp, 'num_unique_system_prompts', 'num_groups', 1, MAX_PROMPTS),
    users_per_prompt: either(sp, 'num_users_per_system_prompt', 'num_prompts_per_group', 1, MAX_PROMPTS),
    system_prompt_len: num([...sp, 'system_prompt_len'], 0, MAX_TOKENS_PER_PART, true),
    question_len: num([...sp, 'question_len'], 1, MAX_TOKENS_PER_PART, true),
    output_len: num([...sp, 'output_len'], 1, MAX_TOKENS_PER_PART, true),
    multi_turn: multi === true,
  };
  const loadType = get(['load', 'type']) ?? 'constant';
  if (!LOAD_TYPES.includes(loadType as (typeof LOAD_TYPES)[number]))
    bad(['load', 'type'], `expected ${LOAD_TYPES.join(' or ')}, got ${JSON.stringify(loadType)}`);
  const stagesRaw = get(['load', 'stages']);
  const stages: InferencePerfStage[] = [];
  if (!Array.isArray(stagesRaw) || stagesRaw.length === 0) {
    bad(['load', 'stages'], 'expected a non-empty list of { rate, duration }');
  } else {
    stagesRaw.forEach((_, i) => {
      stages.push({
        rate: num(['load', 'stages', i, 'rate'], Number.MIN_VALUE, MAX_STAGE_RATE, false),
        duration_s: num(['load', 'stages', i, 'duration'], Number.MIN_VALUE, MAX_STAGE_DURATION_S, false),
      });
    });
  }
  // The resolved config keeps it under load:, some profiles at the top level; null means the default.
  const timeoutPath =
    get(['load', 'request_timeout']) !== undefined ? ['load', 'request_timeout'] : ['request_timeout'];
  const request_timeout_s = num(
    timeoutPath,
    Number.MIN_VALUE,
    MAX_STAGE_DURATION_S,
    false,
    DEFAULT_REQUEST_TIMEOUT_S,
  );
  if (problems.length > 0) throw failure(file, problems);
  return {
    file,
    data: prof,
    load: { type: loadType as (typeof LOAD_TYPES)[number], stages },
    request_timeout_s,
  };
}

function failure(file: string, problems: Problem[]): UserError {
  return new UserError(
    `${file}: not a usable inference-perf profile (${problems.length} problem${problems.length > 1 ? 's' : ''})`,
    problems,
  );
}
