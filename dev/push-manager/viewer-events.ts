/** The three calls of Push-Manager's service. */
export type PushMethod = 'PushToRoom' | 'PushToUser' | 'BroadcastMessage';

/** `MessageContent` as the dev server decodes it (proto field names). */
export interface DecodedContent {
  type: string;
  data: Buffer;
  timestamp: number;
  metadata: Record<string, string>;
}

// Types whose `data` is UTF-8 text rather than media bytes.
const TEXT_TYPES = new Set(['TEXT', 'TRANSLATION', 'SYSTEM']);

/** One pushed message, as a viewer tab receives it over its WebSocket. */
export interface MessageEvent {
  kind: 'message';
  via: PushMethod;
  type: string;
  /** Unix seconds, as the caller stamped it. */
  timestamp: number;
  receivedAt: string;
  metadata: Record<string, string>;
  dataBytes: number;
  /** The data as text, for TEXT, TRANSLATION and SYSTEM. */
  text?: string;
  /** The data as base64, for AUDIO and VIDEO. */
  dataBase64?: string;
}

/** What Push-Manager did with one call; every tab lists these. */
export interface ActivityEvent {
  kind: 'activity';
  at: string;
  method: PushMethod;
  /** `room-001`, `user-001`, or `everyone`. */
  target: string;
  messageType: string;
  messageId?: string;
  requestId?: string;
  success: boolean;
  deliveredCount: number;
  excludedUserIds: string[];
  /** Push-Manager's own words, as in its response. */
  message: string;
}

export function messageEvent(
  via: PushMethod,
  content: DecodedContent,
  receivedAt: Date,
): MessageEvent {
  const isText = TEXT_TYPES.has(content.type);
  return {
    kind: 'message',
    via,
    type: content.type,
    timestamp: content.timestamp,
    receivedAt: receivedAt.toISOString(),
    metadata: content.metadata,
    dataBytes: content.data.byteLength,
    ...(isText
      ? { text: content.data.toString('utf8') }
      : { dataBase64: content.data.toString('base64') }),
  };
}
