import { describe, expect, it } from 'vitest';
import { openTrace } from './formats.js';
import { drain, fixture } from './testkit.js';

describe('burstgpt reader', () => {
  it('reads seconds as ms, model as preferred model, log type as a tag, quoted fields', () => {
    const rows = drain(openTrace(fixture('burstgpt-small.csv'), 'burstgpt', { on_bad_row: 'skip' }));
    expect(rows).toEqual([
      {
        t_ms: 0,
        prompt_tokens: 472,
        output_tokens: 18,
        preferred_model: 'ChatGPT',
        tags: ['log:Conversation log'],
      },
      {
        t_ms: 40_000,
        prompt_tokens: 1087,
        output_tokens: 0,
        preferred_model: 'ChatGPT',
        tags: ['log:Conversation log'],
      },
      {
        t_ms: 113_500,
        prompt_tokens: 417,
        output_tokens: 217,
        preferred_model: 'GPT-4',
        tags: ['log:API log'],
      },
    ]);
  });

  it("names a quoted '1,000' as not a whole number on line 5, column 13 (the third field)", () => {
    expect(() => drain(openTrace(fixture('burstgpt-small.csv'), 'burstgpt'))).toThrow(
      /burstgpt-small.csv:5:13: Request tokens must be a whole number >= 0, got '1,000'/,
    );
  });

  it('takes session ids from a Session ID column when there is one', () => {
    const rows = drain(openTrace(fixture('burstgpt-session.csv'), 'burstgpt'));
    expect(rows.map((r) => [r.t_ms, r.session_id, r.preferred_model, r.prompt_tokens])).toEqual([
      [0, 'abc', 'GPT-4', 10],
      [2000, 'abd', 'ChatGPT', 11],
    ]);
  });
});
