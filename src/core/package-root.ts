/**
 * Where routesim's own files are (the shipped profiles under profiles/): the nearest folder above this
 * module whose package.json is routesim's. Found by walking up rather than by a fixed `../..`, so that it
 * holds for the sources (src/core/), the compiled tree (dist/core/) and a bundle of either alike.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let root: string | null = null;

/** The package root (absolute); two folders above this module when no package.json says routesim. */
export function packageRoot(): string {
  if (root !== null) return root;
  const here = dirname(fileURLToPath(import.meta.url));
  for (let dir = here; ; dir = dirname(dir)) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && isRoutesim(pkg)) return (root = dir);
    if (dirname(dir) === dir) return (root = join(here, '..', '..'));
  }
}

function isRoutesim(file: string): boolean {
  try {
    return (JSON.parse(readFileSync(file, 'utf8')) as { name?: unknown }).name === 'routesim';
  } catch {
    return false;
  }
}
