import { type Env, positiveInteger } from '../env.js';
import { ConfigError } from '../errors.js';

/** Clips up to this size travel inside the push itself. */
export const DEFAULT_INLINE_MAX_BYTES = 1_048_576;
// gRPC servers refuse messages over 4 MiB unless told otherwise; the rest of
// the push (metadata, framing) needs a little room.
export const MAX_INLINE_MAX_BYTES = 4_128_768;
export const DEFAULT_URL_EXPIRES_SECONDS = 3600;
// S3 refuses presigned URLs that live longer than seven days.
export const MAX_URL_EXPIRES_SECONDS = 604_800;

export interface AudioConfig {
  /**
   * Largest clip, in bytes, sent inline in `data`; larger ones go out as a
   * presigned URL. `AUDIO_INLINE_MAX_BYTES`, default 1048576.
   */
  readonly inlineMaxBytes: number;
  /**
   * Lifetime of a presigned URL, in seconds. `AUDIO_URL_EXPIRES_SECONDS`,
   * default 3600, at most 604800.
   */
  readonly urlExpiresSeconds: number;
}

function atMost(name: string, value: number, limit: number): number {
  if (value > limit) {
    throw new ConfigError(name, `must be at most ${limit}, got ${value}`);
  }
  return value;
}

/** Reads and checks the audioUpload settings once, at start. */
export function loadAudioConfig(env: Env): AudioConfig {
  return {
    inlineMaxBytes: atMost(
      'AUDIO_INLINE_MAX_BYTES',
      positiveInteger(env, 'AUDIO_INLINE_MAX_BYTES', DEFAULT_INLINE_MAX_BYTES),
      MAX_INLINE_MAX_BYTES,
    ),
    urlExpiresSeconds: atMost(
      'AUDIO_URL_EXPIRES_SECONDS',
      positiveInteger(
        env,
        'AUDIO_URL_EXPIRES_SECONDS',
        DEFAULT_URL_EXPIRES_SECONDS,
      ),
      MAX_URL_EXPIRES_SECONDS,
    ),
  };
}
