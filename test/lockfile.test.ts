/**
 * `npm ci` (the README's install step and CI's first command) refuses a lockfile that lacks an entry for
 * any optional dependency of an installed package, even one for another platform. This registry mirror
 * has no packages for platforms other than this machine's, so `npm install` leaves them out; this test
 * keeps them in (node-llama-cpp's prebuilt binaries for mac, windows and riscv were once missing).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

interface LockEntry {
  version?: string;
  optional?: boolean;
  os?: string[];
  optionalDependencies?: Record<string, string>;
}

const lock = JSON.parse(readFileSync(join(import.meta.dirname, '..', 'package-lock.json'), 'utf8')) as {
  packages: Record<string, LockEntry>;
};

describe('package-lock.json', () => {
  it('has an entry for every optional dependency of every installed package, so npm ci accepts it', () => {
    const missing: string[] = [];
    for (const [key, entry] of Object.entries(lock.packages)) {
      if (key === '' || !entry.optionalDependencies) continue;
      for (const name of Object.keys(entry.optionalDependencies)) {
        // npm resolves from the nearest node_modules upward: nested first, then the root.
        const nested = `${key}/node_modules/${name}`;
        const root = `node_modules/${name}`;
        if (!lock.packages[nested] && !lock.packages[root]) missing.push(`${name} (from ${key})`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('marks the other platforms’ node-llama-cpp binaries optional and platform-bound (never fetched here)', () => {
    for (const name of ['mac-x64', 'win-x64', 'linux-riscv64']) {
      const e = lock.packages[`node_modules/@node-llama-cpp/${name}`];
      expect(e?.optional).toBe(true);
      expect(e?.os?.length).toBe(1);
    }
  });
});
