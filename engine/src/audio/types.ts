/** Sample rate every model and the VAD in Tingxie consume, in Hz. */
export const TARGET_SAMPLE_RATE = 16000;

/** Mono audio as float32 samples in [-1, 1]. */
export interface MonoAudio {
  /** Shape [numSamples]. */
  samples: Float32Array;
  /** Hz. */
  sampleRate: number;
}

/** How ffmpeg was found, reported to the user. */
export interface FfmpegLocation {
  path: string;
  source: 'FFMPEG_PATH' | 'ffmpeg-static' | 'PATH';
}
