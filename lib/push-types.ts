/** Push-Manager's message types, as the enum names of the .proto. */
export const MESSAGE_TYPES = [
  'TEXT',
  'AUDIO',
  'VIDEO',
  'TRANSLATION',
  'SYSTEM',
] as const;
export type MessageType = (typeof MESSAGE_TYPES)[number];

/** `MessageContent` as proto-loader hands it to grpc-js (camelCase fields). */
export interface MessageContent {
  type: MessageType;
  data: Uint8Array;
  /** Unix seconds. */
  timestamp: number;
  metadata: Record<string, string>;
}

export interface PushToRoomRequest {
  roomId: string;
  content: MessageContent;
  excludeUserIds: string[];
}

export interface PushToRoomResponse {
  success: boolean;
  deliveredCount: number;
  message: string;
}

export interface PushToUserRequest {
  userId: string;
  content: MessageContent;
}

export interface PushToUserResponse {
  success: boolean;
  message: string;
}

export interface BroadcastMessageRequest {
  content: MessageContent;
}

export interface BroadcastMessageResponse {
  success: boolean;
  totalDelivered: number;
}

/** What a caller hands the push client; `messageId` lands in metadata. */
export interface PushContent {
  type: MessageType;
  data: Uint8Array;
  /** Unix seconds; now when omitted. */
  timestamp?: number;
  metadata?: Record<string, string>;
  /** Stable id derived from the source event, so clients can drop repeats. */
  messageId: string;
}

/** Why Push-Manager answered `success = false`. */
export type NotDeliveredReason = 'room_not_found' | 'user_offline' | 'rejected';

/** The result of a push that reached Push-Manager. */
export type PushOutcome =
  | {
      delivered: true;
      deliveredCount: number;
      attempts: number;
      latencyMs: number;
      message: string;
    }
  | {
      delivered: false;
      reason: NotDeliveredReason;
      deliveredCount: 0;
      attempts: number;
      latencyMs: number;
      /** Push-Manager's own words on why. */
      message: string;
    };

/** What the push client needs to know of the Lambda invocation. */
export interface Invocation {
  /** The Lambda request id; sent as `x-request-id`. */
  readonly requestId: string;
  /** Milliseconds until Lambda stops the invocation. */
  remainingTimeMs(): number;
  /** W3C trace context to join Push-Manager's trace, when one is known. */
  readonly traceparent?: string;
}
