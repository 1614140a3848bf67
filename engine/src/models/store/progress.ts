import cliProgress from 'cli-progress';
import type { PullProgress } from './store.ts';

/**
 * Terminal rendering of `ModelStore.pull` progress: a bar with MB done / total and the rate
 * while downloading, a bar over compressed bytes while extracting, and nothing at all when the
 * stream is not a TTY (pipes, CI logs, files stay clean).
 */

export interface PullProgressRenderer {
  /** Pass as `onProgress` to `ModelStore.pull`. */
  readonly update: (progress: PullProgress) => void;
  /** Removes the bar's cursor handling; call once the pull ended (success or failure). */
  stop(): void;
}

/** The minimum a stream must offer; `process.stderr` fits. */
export type ProgressStream = NodeJS.WritableStream & { isTTY?: boolean; columns?: number };

export function createPullProgressRenderer(stream: ProgressStream): PullProgressRenderer {
  if (!stream.isTTY) return { update: () => undefined, stop: () => undefined };

  let bar: cliProgress.SingleBar | null = null;
  let phase: PullProgress['phase'] | null = null;

  const startBar = (label: string, total: number): cliProgress.SingleBar => {
    bar?.stop();
    const created = new cliProgress.SingleBar(
      {
        format: `${label} |{bar}| {percentage}% {done}/{all} {rate}`,
        stream: stream as NodeJS.WritableStream,
        hideCursor: true,
        clearOnComplete: false,
        barsize: 30,
        fps: 10,
      },
      cliProgress.Presets.shades_classic,
    );
    created.start(Math.max(1, total), 0, { done: formatBytes(0), all: '?', rate: '' });
    return created;
  };

  return {
    update(progress) {
      if (progress.phase === 'download' || progress.phase === 'extract') {
        const total = progress.bytesTotal;
        if (phase !== progress.phase || bar === null) {
          bar = startBar(progress.phase === 'download' ? 'downloading' : 'extracting ', total ?? progress.bytesDone);
          phase = progress.phase;
        }
        if (total !== null) bar.setTotal(Math.max(1, total));
        else if (progress.bytesDone > bar.getTotal()) bar.setTotal(progress.bytesDone);
        const rate = progress.phase === 'download' ? `${formatBytes(progress.bytesPerSecond)}/s` : '';
        bar.update(progress.bytesDone, { done: formatBytes(progress.bytesDone), all: total === null ? '?' : formatBytes(total), rate });
        return;
      }
      // verify / install are short steps without a byte count: close the bar.
      bar?.stop();
      bar = null;
      phase = progress.phase;
    },
    stop() {
      bar?.stop();
      bar = null;
    },
  };
}

/** Human size with binary prefixes: `512 B`, `1.5 MiB`, `155.4 MiB`, `1.2 GiB`. */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 1024) return `${Math.max(0, Math.round(Number.isFinite(bytes) ? bytes : 0))} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value.toFixed(1)} ${units[unit]}`;
}
