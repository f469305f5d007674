import type { PushContent } from '../push-types.js';
import {
  type AudioFormat,
  CONTENT_TYPE_OF,
  formatFromContentType,
} from './audio-format.js';
import type { ClipLink } from './presign.js';
import type { ObjectHead } from './read-audio-object.js';

/** User metadata (`x-amz-meta-duration`) giving the clip's length in ms. */
export const DURATION_METADATA = 'duration';

const WHOLE_MILLISECONDS = /^\d{1,10}$/;

/**
 * The duration the uploader declared, when it is a whole number of
 * milliseconds; anything else is ignored and the audio is measured instead.
 */
export function declaredDurationMs(
  metadata: Record<string, string>,
): number | undefined {
  const value = metadata[DURATION_METADATA]?.trim();
  return value !== undefined && WHOLE_MILLISECONDS.test(value)
    ? Number(value)
    : undefined;
}

// The object's own content type when it agrees with the bytes (keeping its
// parameters), otherwise the usual one for the format.
function contentTypeFor(head: ObjectHead, format: AudioFormat): string {
  const claimed = formatFromContentType(head.contentType);
  const agrees = claimed === format || (claimed === 'ogg' && format === 'opus');
  return agrees && head.contentType
    ? head.contentType
    : CONTENT_TYPE_OF[format];
}

export interface AudioPushParts {
  readonly messageId: string;
  readonly uploadedAtSeconds: number;
  readonly head: ObjectHead;
  readonly format: AudioFormat;
  readonly durationMs?: number;
  /** The clip itself when small enough, otherwise empty. */
  readonly data: Uint8Array;
  /** Where to download a clip not carried in `data`. */
  readonly link?: ClipLink;
}

/**
 * The AUDIO push of one clip. Metadata: `format`, `duration` (ms, when
 * known), `size` (bytes), `content_type`, and for a large clip `url` and
 * `url_expires_at` (Unix seconds); the push client adds `message_id`.
 */
export function audioPushContent(parts: AudioPushParts): PushContent {
  const { head, format, durationMs, link } = parts;
  return {
    type: 'AUDIO',
    data: parts.data,
    timestamp: parts.uploadedAtSeconds,
    messageId: parts.messageId,
    metadata: {
      format,
      ...(durationMs !== undefined && { duration: String(durationMs) }),
      size: String(head.size),
      content_type: contentTypeFor(head, format),
      ...(link && {
        url: link.url,
        url_expires_at: String(link.expiresAtSeconds),
      }),
    },
  };
}
