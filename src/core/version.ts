/**
 * This routesim's version, from package.json: stamped into every report (so a baseline names the code that
 * made it) and printed by `routesim --version`. Read relative to this file, which sits two folders below
 * the package root both as source (src/core/) and compiled (dist/core/). "0.0.0" if package.json cannot be
 * read (an embedding that copied the sources without it).
 */
import { readFileSync } from 'node:fs';

export const VERSION: string = (() => {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
      version?: string;
    };
    return pkg.version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
})();
