/** Reading upstream messages: the generated text a chunk carries, JSON that may not be, an error's message. */

/** Choices carrying generated text: chat `delta.content` (or reasoning, tool calls), completions `text`. */
export function textChoices(choices: unknown): number {
  if (!Array.isArray(choices)) return 0;
  let n = 0;
  for (const c of choices) {
    if (c === null || typeof c !== 'object') continue;
    const ch = c as Record<string, unknown>;
    const d = (ch.delta ?? ch.message) as Record<string, unknown> | undefined;
    if (nonEmpty(ch.text)) n++;
    else if (
      d &&
      (nonEmpty(d.content) || nonEmpty(d.reasoning_content) || nonEmpty(d.reasoning) || d.tool_calls)
    )
      n++;
  }
  return n;
}

function nonEmpty(v: unknown): boolean {
  return typeof v === 'string' && v.length > 0;
}

export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/** ": message" from an OpenAI-style error body ({ error: { message } } or { error: "…" }), else its start. */
export function errorText(body: string): string {
  const j = parseJson(body) as { error?: unknown; message?: unknown } | null;
  const e = j && typeof j === 'object' ? (j.error ?? j.message) : undefined;
  const m =
    typeof e === 'string' ? e : e && typeof e === 'object' ? (e as { message?: unknown }).message : undefined;
  const text = typeof m === 'string' ? m : body.trim();
  return text ? `: ${text.slice(0, 200)}` : '';
}
