/**
 * The JSON Schema of the scenario file as users write it (input side: durations as strings), with every
 * key's description, for editors: `# yaml-language-server: $schema=./scenario.schema.json`.
 */
import { z } from 'zod';
import { scenarioSchema } from './schema.js';

/** A JSON Schema (draft 2020-12) object for scenario files. */
export function scenarioJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(scenarioSchema, {
    io: 'input',
    unrepresentable: 'any',
    target: 'draft-2020-12',
  }) as Record<string, unknown>;
  return {
    $schema: schema.$schema,
    title: 'routesim scenario',
    ...schema,
  };
}
