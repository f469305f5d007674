import { wavClip } from './audio-clip.mjs';
import { AUDIO_CLIP_BYTES, SMALL_CLIP_BYTES } from './profiles.mjs';

const ROOM_ID = 'room-bench-1';
const UPLOADER_ID = 'user-bench-uploader';

/**
 * Stores one WAV clip of each size the bench uses in s3rver, under the
 * `rooms/{roomId}/` layout audioUpload reads its room from, with the
 * uploader in the `user-id` metadata. Returns them by size.
 */
export async function prepareClips(services) {
  const sizes = [...new Set([SMALL_CLIP_BYTES, ...AUDIO_CLIP_BYTES])];
  const clips = {};

  for (const size of sizes) {
    const key = `rooms/${ROOM_ID}/${UPLOADER_ID}/clip-${size}.wav`;
    const eTag = await services.putObject(key, wavClip(size), 'audio/wav', {
      'user-id': UPLOADER_ID,
    });
    clips[size] = { bucket: services.bucket, key, size, eTag };
  }
  return clips;
}
