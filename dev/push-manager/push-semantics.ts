import type { Presence, ViewerClient } from './presence.js';
import {
  type ActivityEvent,
  type DecodedContent,
  messageEvent,
  type PushMethod,
} from './viewer-events.js';

/** A decoded request, with the proto's own field names. */
export interface PushRequest {
  room_id?: string;
  user_id?: string;
  exclude_user_ids?: string[];
  content?: DecodedContent;
}

/** The response for grpc-js and the activity entry for the viewers. */
export interface PushAnswer {
  response: Record<string, unknown>;
  activity: ActivityEvent;
}

/** A request Push-Manager refuses outright, sent back as INVALID_ARGUMENT. */
export class InvalidPushError extends Error {}

function requireContent(request: PushRequest): DecodedContent {
  if (!request.content) throw new InvalidPushError('content is required');
  return request.content;
}

function requireId(value: string | undefined, field: string): string {
  if (!value) throw new InvalidPushError(`${field} is required`);
  return value;
}

function deliver(
  clients: ViewerClient[],
  method: PushMethod,
  content: DecodedContent,
  now: Date,
): number {
  const event = messageEvent(method, content, now);
  for (const client of clients) client.send(event);
  return clients.length;
}

function activity(
  method: PushMethod,
  target: string,
  content: DecodedContent,
  requestId: string | undefined,
  outcome: Pick<
    ActivityEvent,
    'success' | 'deliveredCount' | 'message' | 'excludedUserIds'
  >,
  now: Date,
): ActivityEvent {
  return {
    kind: 'activity',
    at: now.toISOString(),
    method,
    target,
    messageType: content.type,
    messageId: content.metadata.message_id,
    requestId,
    ...outcome,
  };
}

/**
 * PushToRoom: everyone in the room but the excluded users. A room nobody is
 * in does not exist: `success = false`.
 */
export function pushToRoom(
  presence: Presence,
  request: PushRequest,
  requestId?: string,
  now = new Date(),
): PushAnswer {
  const roomId = requireId(request.room_id, 'room_id');
  const content = requireContent(request);
  const excludedUserIds = request.exclude_user_ids ?? [];
  const members = presence.inRoom(roomId);

  if (!members) {
    const message = `room ${roomId} not found: nobody is in it`;
    return {
      response: { success: false, delivered_count: 0, message },
      activity: activity(
        'PushToRoom',
        roomId,
        content,
        requestId,
        { success: false, deliveredCount: 0, message, excludedUserIds },
        now,
      ),
    };
  }

  const targets = members.filter((c) => !excludedUserIds.includes(c.userId));
  const deliveredCount = deliver(targets, 'PushToRoom', content, now);
  const message = `pushed to ${deliveredCount} connection(s)`;
  return {
    response: { success: true, delivered_count: deliveredCount, message },
    activity: activity(
      'PushToRoom',
      roomId,
      content,
      requestId,
      { success: true, deliveredCount, message, excludedUserIds },
      now,
    ),
  };
}

/** PushToUser: every tab of the user; `success = false` when offline. */
export function pushToUser(
  presence: Presence,
  request: PushRequest,
  requestId?: string,
  now = new Date(),
): PushAnswer {
  const userId = requireId(request.user_id, 'user_id');
  const content = requireContent(request);
  const tabs = presence.ofUser(userId);
  const deliveredCount = deliver(tabs, 'PushToUser', content, now);
  const success = deliveredCount > 0;
  const message = success
    ? `pushed to ${deliveredCount} connection(s)`
    : `user ${userId} is not online`;

  return {
    response: { success, message },
    activity: activity(
      'PushToUser',
      userId,
      content,
      requestId,
      { success, deliveredCount, message, excludedUserIds: [] },
      now,
    ),
  };
}

/** BroadcastMessage: every connected tab, whatever its room. */
export function broadcastMessage(
  presence: Presence,
  request: PushRequest,
  requestId?: string,
  now = new Date(),
): PushAnswer {
  const content = requireContent(request);
  const deliveredCount = deliver(
    presence.everyone(),
    'BroadcastMessage',
    content,
    now,
  );
  const message = `broadcast to ${deliveredCount} connection(s)`;

  return {
    response: { success: true, total_delivered: deliveredCount },
    activity: activity(
      'BroadcastMessage',
      'everyone',
      content,
      requestId,
      { success: true, deliveredCount, message, excludedUserIds: [] },
      now,
    ),
  };
}
