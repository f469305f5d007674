import { AudioRejectedError } from './audio-errors.js';

/** User metadata keys (`x-amz-meta-*`) an uploader may set. */
export const ROOM_ID_METADATA = 'room-id';
export const USER_ID_METADATA = 'user-id';

const ROOM_KEY = /^rooms\/([^/]+)\/./;

export interface RoomTarget {
  readonly roomId: string;
  /** The uploader, kept out of the push: speakers do not hear themselves. */
  readonly excludeUserIds: string[];
}

/** The room of a key laid out as `rooms/{roomId}/...`. */
export function roomFromKey(key: string): string | undefined {
  return key.match(ROOM_KEY)?.[1];
}

/**
 * Where a clip goes: the `room-id` user metadata when set, otherwise the
 * room of its key; without the uploader named by the `user-id` metadata.
 */
export function roomTarget(
  key: string,
  metadata: Record<string, string> | undefined,
): RoomTarget {
  const roomId = metadata?.[ROOM_ID_METADATA]?.trim() || roomFromKey(key);
  if (!roomId) {
    throw new AudioRejectedError(
      'no_room',
      'The object names no room: upload it under rooms/{roomId}/ or set ' +
        `the ${ROOM_ID_METADATA} metadata (x-amz-meta-${ROOM_ID_METADATA})`,
    );
  }

  const uploader = metadata?.[USER_ID_METADATA]?.trim();
  return { roomId, excludeUserIds: uploader ? [uploader] : [] };
}
