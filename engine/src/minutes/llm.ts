/**
 * Optional summary rewrite by a local OpenAI-compatible chat endpoint (llama.cpp server, Ollama, vLLM, ...).
 * Loopback only unless the caller allows a remote address: the transcript is sent to it.
 */
import { ErrorCodes, TingxieError } from '../errors.ts';
import type { LlmSummaryConfig, MinutesLanguage, Sentence, SummaryPoint } from './types.ts';

const DEFAULT_TIMEOUT_MS = 60_000;
/** Characters of transcript sent at most (small local models have small contexts). */
const MAX_TRANSCRIPT_CHARS = 24_000;

function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return host === 'localhost' || host === '::1' || /^127(?:\.\d{1,3}){3}$/.test(host);
}

/** The chat-completions URL of a configured endpoint; CONFIG_INVALID for a bad or (unallowed) remote URL. */
export function chatCompletionsUrl(config: LlmSummaryConfig): URL {
  let url: URL;
  try {
    url = new URL(config.url);
  } catch {
    throw new TingxieError(ErrorCodes.CONFIG_INVALID, `LLM URL is not a URL: "${config.url}".`, { field: 'llm-url' });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new TingxieError(ErrorCodes.CONFIG_INVALID, `LLM URL must be http or https, got "${url.protocol}".`, { field: 'llm-url' });
  }
  if (!isLoopbackHost(url.hostname) && config.allowRemote !== true) {
    throw new TingxieError(
      ErrorCodes.CONFIG_INVALID,
      `LLM URL ${url.host} is not a loopback address; the transcript would leave this machine. Allow it explicitly (--allow-remote-llm).`,
      { field: 'llm-url' },
    );
  }
  if (config.model.trim().length === 0) throw new TingxieError(ErrorCodes.CONFIG_INVALID, 'LLM model name is empty.', { field: 'llm-model' });
  const base = url.pathname.replace(/\/+$/, '');
  url.pathname = base.endsWith('/chat/completions') ? base : base.endsWith('/v1') ? `${base}/chat/completions` : `${base}/v1/chat/completions`;
  return url;
}

function prompt(language: MinutesLanguage): string {
  return language === 'en'
    ? 'You write meeting minutes. Summarize the transcript in 3 to 7 short bullet points, one per line, starting with "- ". Only facts from the transcript.'
    : '你负责写会议纪要。用3到7条简短要点总结下面的会议记录，每行一条，以"- "开头，只写记录里有的内容。';
}

/** Bullet lines of a model's answer, without their markers. */
export function parseSummaryPoints(content: string): string[] {
  return content
    .split(/\r?\n/)
    .map((line) => line.replace(/^\s*(?:[-*•·]|\d+[.)、])\s*/u, '').trim())
    .filter((line) => line.length > 0)
    .slice(0, 7);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/** Asks the endpoint for summary points. Throws (any error) on failure; the caller falls back. */
export async function llmSummary(
  sentences: readonly Sentence[],
  language: MinutesLanguage,
  config: LlmSummaryConfig,
  fetchImpl: typeof fetch,
): Promise<SummaryPoint[]> {
  const url = chatCompletionsUrl(config);
  const transcript = sentences
    .map((s) => (s.speaker ? `${s.speaker}: ${s.text}` : s.text))
    .join('\n')
    .slice(0, MAX_TRANSCRIPT_CHARS);
  const response = await fetchImpl(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      model: config.model,
      temperature: 0,
      messages: [
        { role: 'system', content: prompt(language) },
        { role: 'user', content: transcript },
      ],
    }),
    signal: AbortSignal.timeout(config.timeoutMs ?? DEFAULT_TIMEOUT_MS),
  });
  if (!response.ok) throw new Error(`LLM endpoint answered HTTP ${response.status}`);
  const body: unknown = await response.json();
  const choices = isRecord(body) && Array.isArray(body.choices) ? body.choices : [];
  const first: unknown = choices[0];
  const message = isRecord(first) && isRecord(first.message) ? first.message : null;
  const content = message && typeof message.content === 'string' ? message.content : null;
  if (content === null) throw new Error('LLM answer has no choices[0].message.content');
  const points = parseSummaryPoints(content);
  if (points.length === 0) throw new Error('LLM answer has no summary points');
  return points.map((text) => ({ text, start: null }));
}
