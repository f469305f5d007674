import type { MethodDefinition } from '@grpc/grpc-js';
import { callWithRetries } from './call-with-retries.js';
import type { Observability } from './observability.js';
import { PushChannel } from './push-channel.js';
import type { PushConfig } from './push-config.js';
import {
  type PushReport,
  reportFailure,
  reportOutcome,
} from './push-report.js';
import { loadPushManagerService } from './push-service.js';
import type {
  BroadcastMessageRequest,
  BroadcastMessageResponse,
  Invocation,
  MessageContent,
  NotDeliveredReason,
  PushContent,
  PushOutcome,
  PushToRoomRequest,
  PushToRoomResponse,
  PushToUserRequest,
  PushToUserResponse,
} from './push-types.js';

export interface RoomPush {
  roomId: string;
  content: PushContent;
  /** Users in the room who must not receive it, such as its sender. */
  excludeUserIds?: string[];
}

export interface UserPush {
  userId: string;
  content: PushContent;
}

export interface BroadcastPush {
  content: PushContent;
}

export interface PushClientOptions {
  /** Source of randomness for back-off jitter. */
  random?: () => number;
  /** Clock, in epoch milliseconds. */
  now?: () => number;
}

interface Target {
  kind: 'room' | 'user' | 'broadcast';
  id?: string;
}

interface Answer {
  success: boolean;
  deliveredCount: number;
  message: string;
}

type Method<Request> = MethodDefinition<Request, unknown>;

function toMessageContent(content: PushContent, now: number): MessageContent {
  return {
    type: content.type,
    data: content.data,
    timestamp: content.timestamp ?? Math.floor(now / 1000),
    metadata: { ...content.metadata, message_id: content.messageId },
  };
}

const NOT_DELIVERED: Record<Target['kind'], NotDeliveredReason> = {
  room: 'room_not_found',
  user: 'user_offline',
  broadcast: 'rejected',
};

/**
 * Pushes to Push-Manager over one cached channel. Every call has a deadline
 * within the invocation's remaining time; calls that did not go through are
 * retried with back-off; `success = false` comes back as an outcome, not an
 * error. Each push writes one log line and its metrics.
 */
export class PushClient {
  readonly #config: PushConfig;
  readonly #observability: Observability;
  readonly #channel: PushChannel;
  readonly #random: () => number;
  readonly #now: () => number;
  readonly #methods: Record<string, Method<never>>;

  constructor(
    config: PushConfig,
    observability: Observability,
    options: PushClientOptions = {},
  ) {
    this.#config = config;
    this.#observability = observability;
    this.#now = options.now ?? Date.now;
    this.#random = options.random ?? Math.random;
    this.#channel = new PushChannel(config, this.#now);
    this.#methods = loadPushManagerService() as unknown as Record<
      string,
      Method<never>
    >;
  }

  /** How many channels have been opened so far (one per reconnect). */
  get channelsOpened(): number {
    return this.#channel.openedCount;
  }

  /** Pushes to everyone in a room, except `excludeUserIds`. */
  async pushToRoom(
    push: RoomPush,
    invocation: Invocation,
  ): Promise<PushOutcome> {
    const request: PushToRoomRequest = {
      roomId: push.roomId,
      content: toMessageContent(push.content, this.#now()),
      excludeUserIds: push.excludeUserIds ?? [],
    };
    return this.#push(
      'PushToRoom',
      request,
      push.content,
      invocation,
      {
        kind: 'room',
        id: push.roomId,
      },
      (response: PushToRoomResponse) => response,
    );
  }

  /** Pushes to one user, wherever they are connected. */
  async pushToUser(
    push: UserPush,
    invocation: Invocation,
  ): Promise<PushOutcome> {
    const request: PushToUserRequest = {
      userId: push.userId,
      content: toMessageContent(push.content, this.#now()),
    };
    return this.#push(
      'PushToUser',
      request,
      push.content,
      invocation,
      {
        kind: 'user',
        id: push.userId,
      },
      (response: PushToUserResponse) => ({
        ...response,
        deliveredCount: response.success ? 1 : 0,
      }),
    );
  }

  /** Pushes to every connected user. */
  async broadcast(
    push: BroadcastPush,
    invocation: Invocation,
  ): Promise<PushOutcome> {
    const request: BroadcastMessageRequest = {
      content: toMessageContent(push.content, this.#now()),
    };
    return this.#push(
      'BroadcastMessage',
      request,
      push.content,
      invocation,
      {
        kind: 'broadcast',
      },
      (response: BroadcastMessageResponse) => ({
        success: response.success,
        deliveredCount: response.totalDelivered,
        message: '',
      }),
    );
  }

  /** Closes the channel; a later push opens a new one. */
  close(): void {
    this.#channel.close();
  }

  async #push<Request, Response>(
    methodName: string,
    request: Request,
    content: PushContent,
    invocation: Invocation,
    target: Target,
    toAnswer: (response: Response) => Answer,
  ): Promise<PushOutcome> {
    const startedAt = this.#now();
    const report: PushReport = {
      messageId: content.messageId,
      messageType: content.type,
      target: target.kind,
      ...(target.kind === 'room' && { roomId: target.id }),
      ...(target.kind === 'user' && { userId: target.id }),
      dataBytes: content.data.byteLength,
      requestId: invocation.requestId,
    };

    try {
      const method = this.#methods[methodName] as unknown as MethodDefinition<
        Request,
        Response
      >;
      const { response, attempts } = await callWithRetries(
        this.#channel,
        this.#config,
        this.#random,
        method,
        request,
        invocation,
      );
      const outcome = this.#toOutcome(
        toAnswer(response),
        target,
        attempts,
        startedAt,
      );
      reportOutcome(this.#observability, report, outcome);
      return outcome;
    } catch (error) {
      reportFailure(
        this.#observability,
        report,
        error,
        this.#now() - startedAt,
      );
      throw error;
    }
  }

  #toOutcome(
    answer: Answer,
    target: Target,
    attempts: number,
    startedAt: number,
  ): PushOutcome {
    const latencyMs = this.#now() - startedAt;
    if (answer.success) {
      return {
        delivered: true,
        deliveredCount: answer.deliveredCount,
        attempts,
        latencyMs,
        message: answer.message,
      };
    }
    return {
      delivered: false,
      reason: NOT_DELIVERED[target.kind],
      deliveredCount: 0,
      attempts,
      latencyMs,
      message: answer.message,
    };
  }
}
