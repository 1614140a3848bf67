// Types for the parts of pino-roll (which ships none) that logging.ts uses.
declare module 'pino-roll' {
  import type { Writable } from 'node:stream';

  export interface PinoRollOptions {
    file: string | (() => string);
    size?: string | number;
    frequency?: 'daily' | 'hourly' | number;
    extension?: string;
    symlink?: boolean;
    limit?: { count?: number; removeOtherLogFiles?: boolean };
    dateFormat?: string;
    mkdir?: boolean;
    sync?: boolean;
    mode?: number;
  }

  /** A SonicBoom stream writing to the current log file. */
  export interface RollStream extends Writable {
    flushSync(): void;
    end(): this;
  }

  export default function pinoRoll(options: PinoRollOptions): Promise<RollStream>;
}
