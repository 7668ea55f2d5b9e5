import { describe, expect, it } from 'vitest';
import { detectFormat } from './formats.js';
import { fixture } from './testkit.js';

describe('detectFormat', () => {
  it('tells each format from its extension and first line', () => {
    expect(detectFormat(fixture('azure-small.csv'))).toBe('azure');
    expect(detectFormat(fixture('burstgpt-small.csv'))).toBe('burstgpt');
    expect(detectFormat(fixture('mooncake-small.jsonl'))).toBe('mooncake');
    expect(detectFormat(fixture('native-small.jsonl'))).toBe('native');
  });

  it('asks for --format when it cannot tell', () => {
    expect(() => detectFormat(fixture('generic.csv'))).toThrow(/cannot tell the format.*--format/);
    expect(() => detectFormat(fixture('missing.csv'))).toThrow(/cannot read trace/);
  });
});
