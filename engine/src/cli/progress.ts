import cliProgress from 'cli-progress';

/** A progress display that draws only on a terminal and stays silent otherwise (pipes, CI, files). */
export interface ProgressReporter {
  start(label: string, total: number | null): void;
  update(done: number, total: number | null): void;
  stop(): void;
}

export function createProgressReporter(stream: NodeJS.WriteStream, unit: 's' | 'bytes'): ProgressReporter {
  if (!stream.isTTY) return { start() {}, update() {}, stop() {} };
  let bar: cliProgress.SingleBar | null = null;
  const format =
    unit === 's'
      ? '{label} |{bar}| {percentage}% {value}/{total} s audio'
      : '{label} |{bar}| {percentage}% {done}/{all} MB {speed}';
  let lastTime = Date.now();
  let lastDone = 0;
  return {
    start(label, total) {
      bar = new cliProgress.SingleBar(
        { format, stream, hideCursor: true, clearOnComplete: false, etaBuffer: 20 },
        cliProgress.Presets.shades_classic,
      );
      bar.start(Math.max(1, Math.round(total ?? 1)), 0, { label, done: '0.0', all: '?', speed: '' });
      lastTime = Date.now();
      lastDone = 0;
    },
    update(done, total) {
      if (!bar) return;
      if (total !== null) bar.setTotal(Math.max(1, Math.round(total)));
      const now = Date.now();
      let speed = '';
      if (unit === 'bytes' && now > lastTime) {
        speed = `${((done - lastDone) / 1e6 / ((now - lastTime) / 1000)).toFixed(1)} MB/s`;
        lastTime = now;
        lastDone = done;
      }
      bar.update(Math.round(done), {
        done: (done / 1e6).toFixed(1),
        all: total === null ? '?' : (total / 1e6).toFixed(1),
        speed,
      });
    },
    stop() {
      bar?.stop();
      bar = null;
    },
  };
}
