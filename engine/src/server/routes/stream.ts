/**
 * `GET /api/stream` (WebSocket): pseudo-streaming transcription. Protocol in ../streaming/protocol.ts, behaviour
 * in ../streaming/session.ts and ../streaming/connection.ts; this file only adapts a `ws` socket to them.
 *
 * Needs `app.registry` (the model registry plugin) and `app.config`. Registers @fastify/websocket itself when the
 * app has not (buildApp normally does), so the route also works in a bare test app.
 */
import websocket from '@fastify/websocket';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { RawData, WebSocket } from 'ws';
import type { ModelRegistry, ServerConfig } from '../contracts.ts';
import { systemClock } from '../streaming/clock.ts';
import { DEFAULT_STREAM_CONNECTION_OPTIONS, StreamConnection, type StreamConnectionOptions, type StreamResources } from '../streaming/connection.ts';
import { DEFAULT_STREAM_SESSION_OPTIONS } from '../streaming/session.ts';
import { CloseCodes } from '../streaming/protocol.ts';
import { loadSavedHotwords } from '../../text/hotwords/saved.ts';
import { DEFAULT_VAD_OPTIONS, validateVadOptions } from '../../vad/segmenter.ts';

export const STREAM_PATH = '/api/stream';
/** How often a connection checks its timeouts, ms. */
const TICK_MS = 1000;

export interface StreamRouteOptions {
  /** Overrides of the connection limits (tests); the session's interval and length come from app.config. */
  connection?: Partial<Omit<StreamConnectionOptions, 'session'>>;
}

/** Model lease + a fresh VAD for one stream. */
async function openResources(registry: ModelRegistry): Promise<StreamResources> {
  const lease = await registry.lease();
  try {
    const vad = await lease.createVad();
    vad.reset();
    return {
      recognize: (samples, opts) => lease.model.recognize(samples, opts),
      vadProbabilities: (samples) => vad.probabilities(samples),
      punctuate: (text) => lease.punctuate(text),
      // The lease releases the VADs it created.
      release: () => Promise.resolve(lease.release()),
    };
  } catch (error) {
    lease.release();
    throw error;
  }
}

function toBytes(data: RawData): Uint8Array {
  if (Array.isArray(data)) return Buffer.concat(data);
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  return data;
}

/** WebSocket frames ws accepts at all; frames a little above the connection's own limit still get a PAYLOAD_TOO_LARGE message. */
export const STREAM_MAX_PAYLOAD_BYTES = Math.max(4 * DEFAULT_STREAM_CONNECTION_OPTIONS.maxFrameBytes, 1 << 20);

export default async function streamRoutes(app: FastifyInstance, opts: StreamRouteOptions = {}): Promise<void> {
  const connectionOptions: StreamConnectionOptions = { ...DEFAULT_STREAM_CONNECTION_OPTIONS, ...opts.connection };
  if (!app.hasDecorator('websocketServer')) {
    // Frames a little above our own limit still get a PAYLOAD_TOO_LARGE message; ws itself cuts off far larger ones (1009).
    await app.register(websocket, { options: { maxPayload: Math.max(4 * connectionOptions.maxFrameBytes, 1 << 20) } });
  }

  // A handshake refused before the route runs (401 from the auth hook, 403, 429) is answered on the raw upgrade
  // socket, which the HTTP server does not track: unless destroyed it stays open (a leaked descriptor) and
  // `app.close()` waits for it forever. @fastify/websocket only does this itself when its hooks ran first.
  app.addHook('onResponse', async (request, reply) => {
    if (request.headers.upgrade?.toLowerCase() === 'websocket' && reply.statusCode !== 101) request.raw.socket.destroy();
  });

  app.get(STREAM_PATH, { websocket: true }, (socket: WebSocket, request: FastifyRequest) => {
    const config: ServerConfig = app.config;
    const registry: ModelRegistry = app.registry;
    const connection = new StreamConnection({
      transport: {
        send: (text) => socket.send(text),
        close: (code, reason) => socket.close(code, reason),
        get bufferedAmount() {
          return socket.bufferedAmount;
        },
      },
      openResources: () => openResources(registry),
      savedHotwords: () => loadSavedHotwords(config.dataDir),
      clock: systemClock(),
      options: {
        ...connectionOptions,
        session: {
          ...DEFAULT_STREAM_SESSION_OPTIONS,
          partialIntervalS: config.streamPartialIntervalS,
          maxSessionS: config.maxStreamSessionS,
          vadOptions: validateVadOptions({ ...DEFAULT_VAD_OPTIONS, maxSegmentS: config.maxLen }),
        },
      },
      log: request.log,
    });
    const tick = setInterval(() => connection.onTick(), TICK_MS);
    tick.unref();
    socket.on('message', (data: RawData, isBinary: boolean) => {
      if (isBinary) connection.onBinary(toBytes(data));
      else connection.onText(Buffer.from(toBytes(data)).toString('utf8'));
    });
    socket.on('close', () => {
      clearInterval(tick);
      connection.onClose();
    });
    socket.on('error', (error: Error) => {
      request.log.warn({ err: error.message }, 'stream socket error');
      socket.close(CloseCodes.SERVER_ERROR, 'socket error');
    });
  });
}
