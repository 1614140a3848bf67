/** Live dictation over `/api/stream`: partial text as it grows, final segments committed below, a level meter. */
import { type Capture, startCapture } from '../audio/capture.ts';
import { type AppContext, type Page, tr } from '../context.ts';
import { clock, h } from '../dom.ts';
import { languageSelect } from './shared.ts';

type ServerMessage =
  | { type: 'ready' }
  | { type: 'partial'; text: string; rawText: string; start: number }
  | { type: 'final'; text: string; rawText: string; start: number; end: number }
  | { type: 'lagging'; behindS: number }
  | { type: 'end'; durationS: number }
  | { type: 'error'; code: string; message: string };

export function livePage(ctx: AppContext): Page {
  const { i18n, api } = ctx;
  const language = languageSelect(ctx, 'live-language');
  const itn = h('input', { type: 'checkbox', id: 'live-itn', checked: true });
  const hotwords = h('input', { type: 'text', id: 'live-hotwords', 'data-i18n-placeholder': 'transcribe.hotwordsPlaceholder', placeholder: i18n.t('transcribe.hotwordsPlaceholder') });
  const startButton = h('button', { type: 'button', class: 'primary', id: 'live-start' }, tr(ctx, 'live.start'));
  const stopButton = h('button', { type: 'button', id: 'live-stop', disabled: true }, tr(ctx, 'live.stop'));
  const meterFill = h('div', { class: 'meter-fill' });
  const meter = h('div', { class: 'meter', role: 'meter', id: 'live-level', 'aria-valuemin': 0, 'aria-valuemax': 100, 'aria-valuenow': 0, 'data-i18n-aria-label': 'live.level', 'aria-label': i18n.t('live.level') }, meterFill);
  const status = h('p', { class: 'status', role: 'status', id: 'live-status' }, i18n.t('live.idle'));
  const partial = h('p', { class: 'live-partial', id: 'live-partial', 'aria-live': 'off' });
  const finals = h('div', { class: 'live-finals', id: 'live-finals', 'aria-live': 'polite' });
  const copyAll = h('button', { type: 'button', onclick: () => void navigator.clipboard.writeText([...finals.querySelectorAll('.final-text')].map((p) => p.textContent).join('\n')).then(() => ctx.notify(i18n.t('common.copied'), 'success'), () => ctx.notify(i18n.t('common.copyFailed'), 'error')) }, tr(ctx, 'common.copy'));

  let socket: WebSocket | null = null;
  let capture: Capture | null = null;
  /** Audio captured before the engine said `ready` (sent once it does). */
  let pending: Int16Array[] = [];
  let ready = false;

  function setRunning(running: boolean): void {
    startButton.disabled = running;
    stopButton.disabled = !running;
    language.disabled = running;
    itn.disabled = running;
    hotwords.disabled = running;
  }

  async function stopCapture(): Promise<void> {
    const current = capture;
    capture = null;
    meterFill.style.width = '0';
    meter.setAttribute('aria-valuenow', '0');
    if (current) await current.stop();
  }

  async function start(): Promise<void> {
    if (!window.isSecureContext || !navigator.mediaDevices?.getUserMedia) {
      status.textContent = i18n.t('live.insecure');
      status.dataset.kind = 'error';
      return;
    }
    setRunning(true);
    status.textContent = i18n.t('live.connecting');
    status.dataset.kind = 'info';
    partial.textContent = '';
    pending = [];
    ready = false;
    const ws = new WebSocket(api.socketUrl('/api/stream'));
    ws.binaryType = 'arraybuffer';
    socket = ws;
    ws.onopen = () => {
      const words = hotwords.value.split(/[,，\n]/).map((w) => w.trim()).filter((w) => w !== '');
      ws.send(JSON.stringify({ type: 'start', language: language.value, itn: itn.checked, hotwords: words, sampleRate: 16000 }));
    };
    ws.onmessage = (event: MessageEvent<string>) => {
      const message = JSON.parse(event.data) as ServerMessage;
      switch (message.type) {
        case 'ready':
          ready = true;
          for (const block of pending) ws.send(block);
          pending = [];
          break;
        case 'partial':
          partial.textContent = message.text;
          break;
        case 'final':
          partial.textContent = '';
          if (message.text.trim() !== '') {
            finals.append(h('p', {}, h('span', { class: 'time' }, clock(message.start)), h('span', { class: 'final-text' }, message.text)));
          }
          break;
        case 'lagging':
          status.textContent = i18n.t('live.lagging', { seconds: message.behindS.toFixed(1) });
          break;
        case 'end':
          status.textContent = i18n.t('live.stopped', { seconds: message.durationS.toFixed(1) });
          status.dataset.kind = 'success';
          break;
        case 'error':
          status.textContent = `${message.code}: ${message.message}`;
          status.dataset.kind = 'error';
          if (message.code === 'AUTH_REQUIRED' || message.code === 'MODEL_NOT_LOADED') void ctx.refreshHealth();
          break;
      }
    };
    ws.onclose = (event) => {
      if (socket === ws) socket = null;
      void stopCapture();
      setRunning(false);
      if (event.code !== 1000 && status.dataset.kind !== 'error') {
        // A refused handshake (401: token) closes without a message.
        status.textContent = `${i18n.t('error.NETWORK')} (WebSocket ${event.code}${event.reason ? `: ${event.reason}` : ''})`;
        status.dataset.kind = 'error';
        void ctx.refreshHealth();
      }
    };
    try {
      capture = await startCapture({
        onPcm: (pcm) => {
          if (ws.readyState !== WebSocket.OPEN) return;
          if (ready) ws.send(pcm);
          else pending.push(pcm);
        },
        onLevel: (level) => {
          // RMS → a perceptual 0–100 scale (−60 dBFS … 0 dBFS).
          const db = 20 * Math.log10(Math.max(level, 1e-6));
          const pct = Math.round(Math.min(1, Math.max(0, (db + 60) / 60)) * 100);
          meterFill.style.width = `${pct}%`;
          meter.setAttribute('aria-valuenow', String(pct));
        },
      });
      status.textContent = i18n.t('live.listening', { rate: capture.inputRate });
    } catch (error) {
      status.textContent = i18n.t('live.noMic', { message: error instanceof Error ? error.message : String(error) });
      status.dataset.kind = 'error';
      ws.close();
      setRunning(false);
    }
  }

  async function stop(): Promise<void> {
    stopButton.disabled = true;
    await stopCapture();
    if (socket?.readyState === WebSocket.OPEN) socket.send(JSON.stringify({ type: 'stop' }));
  }

  startButton.addEventListener('click', () => void start());
  stopButton.addEventListener('click', () => void stop());

  const el = h(
    'section',
    { class: 'page', 'aria-labelledby': 'live-title' },
    h('h1', { id: 'live-title' }, tr(ctx, 'nav.live')),
    h(
      'div',
      { class: 'panel' },
      h(
        'div',
        { class: 'options' },
        h('label', { for: 'live-language' }, tr(ctx, 'common.language'), language),
        h('label', { class: 'check', for: 'live-itn' }, itn, tr(ctx, 'common.itn')),
        h('label', { for: 'live-hotwords', class: 'grow' }, tr(ctx, 'live.hotwords'), hotwords),
      ),
      h('div', { class: 'row' }, startButton, stopButton, h('span', { class: 'muted' }, tr(ctx, 'live.level')), meter),
    ),
    status,
    h('div', { class: 'card' }, h('div', { class: 'card-head' }, h('h3', {}, tr(ctx, 'live.finals')), copyAll), finals, partial),
  );
  return { el };
}
