import { status } from '@grpc/grpc-js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PushFailedError } from '../lib/errors.js';
import { createObservability } from '../lib/observability.js';
import { PushClient } from '../lib/push-client.js';
import { loadPushConfig } from '../lib/push-config.js';
import type { Invocation } from '../lib/push-types.js';
import { captureOutput } from './support/capture-logs.js';
import {
  startPushManager,
  type TestPushManager,
} from './support/push-manager-server.js';

function invocation(timeoutMs = 30_000, traceparent?: string): Invocation {
  const endsAt = Date.now() + timeoutMs;
  return {
    requestId: 'req-123',
    remainingTimeMs: () => endsAt - Date.now(),
    traceparent,
  };
}

const audio = {
  type: 'AUDIO' as const,
  data: Buffer.from('clip-bytes'),
  timestamp: 1_764_000_000,
  metadata: { format: 'opus', duration: '3000' },
  messageId: 'msg-1',
};

describe('PushClient', () => {
  let server: TestPushManager;
  let output: ReturnType<typeof captureOutput>;
  const clients: PushClient[] = [];

  function client(env: Record<string, string> = {}) {
    const config = loadPushConfig({
      PUSH_MANAGER_ADDRESS: server.address,
      PUSH_RETRY_BASE_MS: '10',
      ...env,
    });
    const created = new PushClient(
      config,
      createObservability('push-client-test', {}),
    );
    clients.push(created);
    return created;
  }

  beforeEach(async () => {
    server = await startPushManager();
    output = captureOutput();
  });

  afterEach(async () => {
    output.restore();
    for (const created of clients.splice(0)) created.close();
    await server.stop();
  });

  it('sends the exact PushToRoom request with message_id and request ids', async () => {
    const traceparent =
      '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';

    const outcome = await client().pushToRoom(
      { roomId: 'room-001', content: audio, excludeUserIds: ['user-002'] },
      invocation(30_000, traceparent),
    );

    expect(outcome).toMatchObject({
      delivered: true,
      deliveredCount: 3,
      attempts: 1,
    });
    expect(server.calls).toHaveLength(1);
    const [call] = server.calls;
    expect(call?.method).toBe('PushToRoom');
    expect(call?.request).toEqual({
      room_id: 'room-001',
      exclude_user_ids: ['user-002'],
      content: {
        type: 'AUDIO',
        data: Buffer.from('clip-bytes'),
        timestamp: 1_764_000_000,
        metadata: { format: 'opus', duration: '3000', message_id: 'msg-1' },
      },
    });
    expect(call?.metadata['x-request-id']).toBe('req-123');
    expect(call?.metadata.traceparent).toBe(traceparent);
  });

  it('logs one structured line per push without the payload', async () => {
    await client().pushToUser(
      { userId: 'user-001', content: { ...audio, type: 'TRANSLATION' } },
      invocation(),
    );

    const [log] = output.logs().filter((l) => l.message === 'push delivered');
    expect(log).toMatchObject({
      level: 'INFO',
      messageId: 'msg-1',
      messageType: 'TRANSLATION',
      target: 'user',
      userId: 'user-001',
      dataBytes: 10,
      attempts: 1,
      outcome: 'delivered',
    });
    expect(output.lines.join('\n')).not.toContain('clip-bytes');
  });

  it('returns success = false as a typed outcome, not an error', async () => {
    server.behaviour = (call) =>
      call.method === 'PushToUser'
        ? { success: false, message: 'user not online' }
        : { success: false, delivered_count: 0, message: 'room not found' };

    const user = await client().pushToUser(
      { userId: 'ghost', content: audio },
      invocation(),
    );
    const room = await client().pushToRoom(
      { roomId: 'nowhere', content: audio },
      invocation(),
    );

    expect(user).toMatchObject({
      delivered: false,
      reason: 'user_offline',
      message: 'user not online',
      attempts: 1,
    });
    expect(room).toMatchObject({ delivered: false, reason: 'room_not_found' });
  });

  it('broadcasts and reports the total delivered', async () => {
    const outcome = await client().broadcast(
      { content: { ...audio, type: 'SYSTEM' } },
      invocation(),
    );

    expect(outcome).toMatchObject({ delivered: true, deliveredCount: 10 });
    expect(server.calls[0]?.method).toBe('BroadcastMessage');
  });

  it('retries the first UNAVAILABLE answers and counts the attempts', async () => {
    server.failNext(2, status.UNAVAILABLE);

    const outcome = await client().pushToRoom(
      { roomId: 'room-001', content: audio },
      invocation(),
    );

    expect(outcome).toMatchObject({ delivered: true, attempts: 3 });
    expect(server.calls).toHaveLength(3);
    const ids = server.calls.map((c) => c.request.content.metadata.message_id);
    expect(new Set(ids)).toEqual(new Set(['msg-1']));
  });

  it('does not retry an error that retrying cannot fix', async () => {
    server.failNext(1, status.INVALID_ARGUMENT);

    const push = client().pushToRoom(
      { roomId: 'room-001', content: audio },
      invocation(),
    );

    await expect(push).rejects.toMatchObject({
      name: 'PushFailedError',
      code: status.INVALID_ARGUMENT,
      attempts: 1,
    });
    expect(server.calls).toHaveLength(1);
  });

  it('fails after PUSH_MAX_ATTEMPTS when Push-Manager is down', async () => {
    const pushClient = client({ PUSH_MAX_ATTEMPTS: '4' });
    await server.stop();

    const push = pushClient.pushToUser(
      { userId: 'user-001', content: audio },
      invocation(),
    );

    const error = await push.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PushFailedError);
    expect(error).toMatchObject({ code: status.UNAVAILABLE, attempts: 4 });
    const failure = output.logs().find((l) => l.message === 'push failed');
    expect(failure).toMatchObject({
      level: 'ERROR',
      messageId: 'msg-1',
      attempts: 4,
      grpcCode: 'UNAVAILABLE',
    });
  });

  it('succeeds on the first push after Push-Manager restarted', async () => {
    const pushClient = client();
    await pushClient.pushToUser(
      { userId: 'user-001', content: audio },
      invocation(),
    );

    await server.restart();
    const outcome = await pushClient.pushToUser(
      { userId: 'user-001', content: audio },
      invocation(),
    );

    expect(outcome.delivered).toBe(true);
    expect(server.calls).toHaveLength(2);
  });

  it('keeps one channel across warm invocations', async () => {
    const pushClient = client();

    for (let i = 0; i < 5; i += 1) {
      await pushClient.pushToUser(
        { userId: 'user-001', content: audio },
        invocation(),
      );
    }

    expect(pushClient.channelsOpened).toBe(1);
  });

  it('dials a fresh channel after an idle period longer than allowed', async () => {
    const pushClient = client({ PUSH_CHANNEL_MAX_IDLE_MS: '50' });
    await pushClient.pushToUser(
      { userId: 'user-001', content: audio },
      invocation(),
    );

    await new Promise((resolve) => setTimeout(resolve, 120));
    const outcome = await pushClient.pushToUser(
      { userId: 'user-001', content: audio },
      invocation(),
    );

    expect(outcome.delivered).toBe(true);
    expect(pushClient.channelsOpened).toBe(2);
  });

  it('keeps every deadline within the invocation remaining time', async () => {
    server.behaviour = () => new Promise(() => undefined);
    const pushClient = client({
      PUSH_TIMEOUT_MS: '5000',
      PUSH_DEADLINE_MARGIN_MS: '100',
    });
    const startedAt = Date.now();

    const push = pushClient.pushToUser(
      { userId: 'user-001', content: audio },
      invocation(800),
    );

    const error = await push.catch((e: unknown) => e);
    const elapsedMs = Date.now() - startedAt;
    expect(error).toBeInstanceOf(PushFailedError);
    expect((error as PushFailedError).code).toBe(status.DEADLINE_EXCEEDED);
    expect(elapsedMs).toBeLessThan(800);
    expect(server.calls[0]?.deadlineMs).toBeLessThanOrEqual(700);
  });
});
