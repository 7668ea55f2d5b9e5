import { describe, expect, it } from 'vitest';
import { attemptBody, fillerPrompt } from './request-body.js';

describe('attemptBody', () => {
  it('asks for exactly the trace output tokens, streamed with usage, with a prompt of one word per token', () => {
    const b = attemptBody({ api: 'chat', model: 'llama', prompt_tokens: 25, output_tokens: 7, offset: 3 });
    const content = (b.messages as { content: string }[])[0].content;
    expect(content.split(' ')).toHaveLength(25);
    expect(content.startsWith('fox jumps')).toBe(true);
    expect(b).toMatchObject({
      model: 'llama',
      max_tokens: 7,
      min_tokens: 7,
      ignore_eos: true,
      stream: true,
      stream_options: { include_usage: true },
    });
    const c = attemptBody({
      api: 'completions',
      model: 'x',
      prompt_tokens: 0,
      output_tokens: 0,
      hints: false,
    });
    expect(c.prompt).toBe('the');
    expect(c.max_tokens).toBe(1);
    expect('ignore_eos' in c || 'messages' in c).toBe(false);
    expect(fillerPrompt(13).split(' ').at(-1)).toBe('the');
  });
});
