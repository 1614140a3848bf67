/**
 * VAD view: the file's waveform (decoded here with WebAudio) with the engine's speech segments drawn on it, and
 * statistics computed from those segments (speech ratio, pauses, longest silence, segments).
 */
import { type AppContext, type Page, tr } from '../context.ts';
import { clear, clock, formatBytes, h } from '../dom.ts';
import type { Transcription } from '../formats.ts';
import { peaks, speechStats, type SpeechSpan } from '../vad-stats.ts';
import { dropZone } from './shared.ts';

/** Mono mix of a decoded buffer, shape [length]. */
function monoOf(buffer: AudioBuffer): Float32Array {
  const out = new Float32Array(buffer.length);
  for (let ch = 0; ch < buffer.numberOfChannels; ch++) {
    const data = buffer.getChannelData(ch);
    for (let i = 0; i < out.length; i++) out[i]! += data[i]! / buffer.numberOfChannels;
  }
  return out;
}

async function decode(file: File): Promise<Float32Array | null> {
  try {
    // The rate only sets what decodeAudioData resamples to; 8 kHz is plenty for a picture.
    const context = new OfflineAudioContext(1, 1, 8000);
    return monoOf(await context.decodeAudioData(await file.arrayBuffer()));
  } catch {
    return null;
  }
}

function draw(canvas: HTMLCanvasElement, samples: Float32Array | null, spans: readonly SpeechSpan[], durationS: number): void {
  const ratio = window.devicePixelRatio || 1;
  const width = Math.max(300, Math.round(canvas.clientWidth * ratio));
  const height = Math.round(180 * ratio);
  canvas.width = width;
  canvas.height = height;
  const g = canvas.getContext('2d');
  if (!g) return;
  const style = getComputedStyle(document.documentElement);
  const accent = style.getPropertyValue('--accent').trim() || '#0f766e';
  const muted = style.getPropertyValue('--muted').trim() || '#5d6b7a';
  const axis = 18 * ratio;
  const mid = (height - axis) / 2;
  g.clearRect(0, 0, width, height);
  // Speech segments behind the waveform.
  g.fillStyle = `${accent}33`;
  g.strokeStyle = accent;
  for (const span of spans) {
    const x0 = (span.start / durationS) * width;
    const x1 = (span.end / durationS) * width;
    g.fillRect(x0, 0, Math.max(1, x1 - x0), height - axis);
    g.fillRect(x0, 0, Math.max(1, x1 - x0), 3 * ratio);
  }
  if (samples) {
    const env = peaks(samples, width);
    g.fillStyle = muted;
    for (let x = 0; x < width; x++) {
      const top = mid - env[2 * x + 1]! * mid * 0.95;
      const bottom = mid - env[2 * x]! * mid * 0.95;
      g.fillRect(x, top, 1, Math.max(1, bottom - top));
    }
  }
  // Time axis: a tick every "nice" step.
  g.fillStyle = muted;
  g.font = `${11 * ratio}px system-ui, sans-serif`;
  const steps = [0.5, 1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 1800];
  const step = steps.find((s) => durationS / s <= 12) ?? 3600;
  for (let t = 0; t <= durationS; t += step) {
    const x = (t / durationS) * width;
    g.fillRect(x, height - axis, 1, 4 * ratio);
    g.fillText(clock(t).replace(/\.\d$/, ''), Math.min(x + 2 * ratio, width - 40 * ratio), height - 4 * ratio);
  }
}

export function vadPage(ctx: AppContext): Page {
  const { i18n, api } = ctx;
  const canvas = h('canvas', { class: 'wave', id: 'vad-canvas', role: 'img', 'data-i18n-aria-label': 'vad.waveform', 'aria-label': i18n.t('vad.waveform') });
  const stats = h('div', { class: 'stats', id: 'vad-stats' });
  const status = h('p', { class: 'status', role: 'status', id: 'vad-status' });
  const segments = h('tbody', {});
  const result = h('section', { hidden: true, id: 'vad-result' }, canvas, stats, h('p', { class: 'muted' }, tr(ctx, 'vad.note')), h('table', { id: 'vad-segments' }, segments));
  let last: { samples: Float32Array | null; spans: SpeechSpan[]; duration: number } | null = null;

  async function analyse(file: File): Promise<void> {
    status.textContent = `${file.name} · ${formatBytes(file.size)} — ${i18n.t('vad.working')}`;
    status.dataset.kind = 'info';
    result.hidden = true;
    const form = new FormData();
    form.append('file', file, file.name);
    form.append('response_format', 'verbose_json');
    try {
      const [body, samples] = await Promise.all([api.request('/v1/audio/transcriptions', { method: 'POST', body: form }).then((r) => r.json() as Promise<Transcription>), decode(file)]);
      const spans = body.segments.map((s) => ({ start: s.start, end: s.end }));
      const summary = speechStats(spans, body.duration);
      clear(stats);
      const stat = (key: Parameters<typeof tr>[1], value: string, id: string): HTMLElement => h('div', { class: 'stat' }, h('b', { id }, value), tr(ctx, key));
      stats.append(
        stat('vad.duration', clock(summary.durationS), 'vad-duration'),
        stat('vad.speechRatio', `${Math.round(summary.speechRatio * 100)}%`, 'vad-ratio'),
        stat('vad.pauses', String(summary.pauses), 'vad-pauses'),
        stat('vad.longestSilence', `${summary.longestSilenceS.toFixed(1)} s`, 'vad-longest'),
        stat('vad.turns', String(summary.turns), 'vad-turns'),
      );
      clear(segments);
      for (const seg of body.segments) segments.append(h('tr', {}, h('td', { class: 'time' }, `${clock(seg.start)} – ${clock(seg.end)}`), h('td', {}, seg.text)));
      status.textContent = samples ? `${file.name} · ${formatBytes(file.size)}` : i18n.t('vad.decodeFailed');
      status.dataset.kind = samples ? 'success' : 'info';
      result.hidden = false;
      last = { samples, spans, duration: body.duration };
      draw(canvas, samples, spans, body.duration);
    } catch (error) {
      status.textContent = ctx.describeError(error);
      status.dataset.kind = 'error';
    }
  }

  window.addEventListener('resize', () => {
    if (last && !result.hidden) draw(canvas, last.samples, last.spans, last.duration);
  });

  const el = h(
    'section',
    { class: 'page', 'aria-labelledby': 'vad-title' },
    h('h1', { id: 'vad-title' }, tr(ctx, 'nav.vad')),
    h('p', { class: 'muted' }, tr(ctx, 'vad.intro')),
    h('div', { class: 'panel' }, dropZone(ctx, { id: 'vad-file', multiple: false, accept: 'audio/*,video/*' }, (files) => files[0] && void analyse(files[0]))),
    status,
    result,
  );
  return { el };
}
