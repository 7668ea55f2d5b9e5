/**
 * A `models:` block as YAML text (discover --yaml). Its own module, imported lazily, with `yaml` imported
 * statically: the bundled CLI gives `await import('yaml')` only a default export (yaml is CommonJS), so
 * `const { stringify } = await import('yaml')` was undefined there and `discover --yaml` was exit 3.
 */
import { stringify } from 'yaml';

/** `{ models }` as a YAML document. */
export function modelsYaml(models: readonly unknown[]): string {
  return stringify({ models });
}
