/**
 * Microphone capture for live dictation: getUserMedia → AudioWorklet (ScriptProcessor where worklets are missing)
 * → StreamingResampler to 16 kHz → PCM16 blocks for `/api/stream`.
 */
import { StreamingResampler, floatToPcm16, rmsLevel } from './resample.ts';

declare const __CAPTURE_WORKLET_URL__: string;

export interface Capture {
  /** The AudioContext's rate, Hz (what the microphone is resampled from). */
  inputRate: number;
  stop: () => Promise<void>;
}

export interface CaptureHandlers {
  /** 16 kHz mono PCM16, shape [n]. */
  onPcm: (pcm: Int16Array) => void;
  /** RMS level of the last block, [0, 1]. */
  onLevel: (level: number) => void;
}

export async function startCapture(handlers: CaptureHandlers): Promise<Capture> {
  const stream = await navigator.mediaDevices.getUserMedia({ audio: { channelCount: 1, echoCancellation: false, noiseSuppression: false, autoGainControl: false } });
  const context = new AudioContext();
  const source = context.createMediaStreamSource(stream);
  const resampler = new StreamingResampler(context.sampleRate, 16000);
  const onBlock = (block: Float32Array): void => {
    handlers.onLevel(rmsLevel(block));
    const pcm = floatToPcm16(resampler.process(block));
    if (pcm.length > 0) handlers.onPcm(pcm);
  };
  // The graph must reach the destination to be pulled; a muted gain keeps the microphone out of the speakers.
  const mute = context.createGain();
  mute.gain.value = 0;
  mute.connect(context.destination);
  let node: AudioNode;
  if (context.audioWorklet && typeof AudioWorkletNode === 'function') {
    await context.audioWorklet.addModule(__CAPTURE_WORKLET_URL__);
    const worklet = new AudioWorkletNode(context, 'tingxie-capture', { numberOfInputs: 1, numberOfOutputs: 1, channelCount: 1 });
    worklet.port.onmessage = (event: MessageEvent<Float32Array>) => onBlock(event.data);
    node = worklet;
  } else {
    const processor = context.createScriptProcessor(4096, 1, 1);
    processor.onaudioprocess = (event) => onBlock(new Float32Array(event.inputBuffer.getChannelData(0)));
    node = processor;
  }
  source.connect(node);
  node.connect(mute);
  if (context.state === 'suspended') await context.resume();
  return {
    inputRate: context.sampleRate,
    stop: async () => {
      source.disconnect();
      node.disconnect();
      for (const track of stream.getTracks()) track.stop();
      await context.close();
    },
  };
}
