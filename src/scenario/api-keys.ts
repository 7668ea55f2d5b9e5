/**
 * The API keys of a scenario's `backend: openai` models, read from the environment variables their
 * `api_key_env` names, when a command is about to send real requests (run --live, calibrate --url). A key
 * never appears in the file, the loaded Scenario or a report. A simulated run does not need the keys, so the
 * loader does not read them.
 */
import { readFileSync } from 'node:fs';
import { UserError } from '../core/errors.js';
import { locate, parseYaml } from './positions.js';
import type { Scenario } from './types.js';

/**
 * Per model (scenario order): its key, or null (not an openai model, or no `api_key_env`). Throws one
 * UserError listing every `api_key_env` whose variable is unset or empty, each at its file:line:column.
 */
export function resolveApiKeys(scenario: Scenario, env: NodeJS.ProcessEnv = process.env): (string | null)[] {
  const missing: { index: number; name: string }[] = [];
  const keys = scenario.models.map((m, index) => {
    const name = m.openai?.api_key_env ?? null;
    if (name === null) return null;
    const v = env[name];
    if (v === undefined || v === '') {
      missing.push({ index, name });
      return null;
    }
    return v;
  });
  if (missing.length === 0) return keys;
  const shown = scenario.file || '<scenario>';
  const position = positionsIn(scenario.file);
  throw new UserError(
    `${shown}: ${missing.length === 1 ? 'an API key variable is' : 'API key variables are'} not set`,
    missing.map(({ index, name }) => {
      const at = position(['models', index, 'api_key_env']);
      return {
        file: shown,
        line: at.line,
        column: at.column,
        message: `models[${index}].api_key_env: the environment variable ${name} is not set (or empty); expected it to hold the API key of model ${scenario.models[index].id}`,
        suggestion: `export ${name}=... before the run, or remove api_key_env for a server without keys`,
      };
    }),
  );
}

/** Positions of data paths in the scenario file, or 0:0 where it cannot be read again. */
function positionsIn(file: string): (path: (string | number)[]) => { line: number; column: number } {
  try {
    const parsed = parseYaml(readFileSync(file, 'utf8'));
    return (path) => locate(parsed, path);
  } catch {
    return () => ({ line: 0, column: 0 });
  }
}
