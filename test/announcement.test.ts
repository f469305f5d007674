import { status } from '@grpc/grpc-js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAnnouncementHandler } from '../lib/announcement/announcement-handler.js';
import { InvalidEventError, PushFailedError } from '../lib/errors.js';
import {
  createFunctionRuntime,
  type FunctionRuntime,
} from '../lib/function-runtime.js';
import { stableMessageId } from '../lib/message-id.js';
import { captureOutput } from './support/capture-logs.js';
import {
  RULE_ARN,
  SCHEDULE_ARN,
  scheduledEvent,
  schedulerInput,
} from './support/events/scheduler-event.js';
import { lambdaContext } from './support/lambda-context.js';
import {
  startPushManager,
  type TestPushManager,
} from './support/push-manager-server.js';

const MESSAGE = 'Maintenance tonight from 02:00 to 02:30 UTC.';
// 2026-12-03T09:00:00Z in Unix seconds.
const DUE_AT_SECONDS = 1_796_288_400;

describe('announcement', () => {
  let server: TestPushManager;
  let output: ReturnType<typeof captureOutput>;
  let runtime: FunctionRuntime;

  function handler(env: Record<string, string> = {}) {
    runtime = createFunctionRuntime('announcement', {
      PUSH_MANAGER_ADDRESS: server.address,
      PUSH_RETRY_BASE_MS: '10',
      ...env,
    });
    return createAnnouncementHandler(runtime);
  }

  function sentMessageIds(): string[] {
    return server.calls.map((call) => call.request.content.metadata.message_id);
  }

  beforeEach(async () => {
    server = await startPushManager();
    output = captureOutput();
  });

  afterEach(async () => {
    output.restore();
    runtime?.push.close();
    await server.stop();
  });

  it('broadcasts the exact BroadcastMessage request for a scheduler input', async () => {
    const result = await handler()(schedulerInput(), lambdaContext());

    const messageId = stableMessageId(
      'announcement',
      SCHEDULE_ARN,
      '2026-12-03T09:00:00Z',
    );
    expect(server.calls).toHaveLength(1);
    expect(server.calls[0]?.method).toBe('BroadcastMessage');
    expect(server.calls[0]?.request).toEqual({
      content: {
        type: 'SYSTEM',
        data: Buffer.from(MESSAGE, 'utf8'),
        timestamp: DUE_AT_SECONDS,
        metadata: {
          priority: 'high',
          category: 'maintenance',
          message_id: messageId,
        },
      },
    });
    expect(result).toEqual({
      messageId,
      target: 'broadcast',
      delivered: true,
      deliveredCount: 10,
    });
  });

  it('pushes to the room when the input names one', async () => {
    const input = schedulerInput({ roomId: 'room-042', priority: undefined });
    delete input.priority;

    const result = await handler()(input, lambdaContext());

    expect(server.calls).toHaveLength(1);
    expect(server.calls[0]?.method).toBe('PushToRoom');
    expect(server.calls[0]?.request).toEqual({
      room_id: 'room-042',
      exclude_user_ids: [],
      content: {
        type: 'SYSTEM',
        data: Buffer.from(MESSAGE, 'utf8'),
        timestamp: DUE_AT_SECONDS,
        metadata: {
          priority: 'normal',
          category: 'maintenance',
          message_id: result.messageId,
        },
      },
    });
    expect(result).toMatchObject({ target: 'room', roomId: 'room-042' });
  });

  it('reads a Scheduled Event envelope, taking ARN and time from it', async () => {
    const detail = { message: MESSAGE, priority: 'low' };

    await handler()(
      scheduledEvent(detail, '2026-12-04T09:00:00Z'),
      lambdaContext(),
    );

    const content = server.calls[0]?.request.content;
    expect(server.calls[0]?.method).toBe('BroadcastMessage');
    expect(content.data).toEqual(Buffer.from(MESSAGE, 'utf8'));
    expect(content.timestamp).toBe(DUE_AT_SECONDS + 86_400);
    expect(content.metadata).toEqual({
      priority: 'low',
      message_id: stableMessageId(
        'announcement',
        RULE_ARN,
        '2026-12-04T09:00:00Z',
      ),
    });
  });

  it('prefers the schedule ARN and time carried in the envelope detail', async () => {
    const detail = schedulerInput({ roomId: 'room-7' });

    await handler()(
      scheduledEvent(detail, '2026-12-04T09:00:05Z'),
      lambdaContext(),
    );

    expect(server.calls[0]?.request.room_id).toBe('room-7');
    expect(server.calls[0]?.request.content.timestamp).toBe(DUE_AT_SECONDS);
    expect(sentMessageIds()).toEqual([
      stableMessageId('announcement', SCHEDULE_ARN, '2026-12-03T09:00:00Z'),
    ]);
  });

  it('keeps the message id across retries of one scheduled time', async () => {
    const announce = handler();

    await announce(schedulerInput({}, 1), lambdaContext());
    await announce(schedulerInput({}, 2), lambdaContext());
    await announce(
      schedulerInput({ scheduledTime: '2026-12-04T09:00:00Z' }),
      lambdaContext(),
    );

    const [first, retry, nextDay] = sentMessageIds();
    expect(retry).toBe(first);
    expect(nextDay).not.toBe(first);
    expect(first).toMatch(/^announcement-[0-9a-f]{32}$/);
  });

  it('derives the id of a manual invoke from the input itself', async () => {
    const announce = handler();
    const manual = { message: MESSAGE, metadata: { b: '2', a: '1' } };
    const startedAt = Math.floor(Date.now() / 1000);

    await announce(manual, lambdaContext());
    await announce(
      { ...manual, metadata: { a: '1', b: '2' } },
      lambdaContext(),
    );
    await announce({ ...manual, message: 'Another notice.' }, lambdaContext());

    const [first, same, other] = sentMessageIds();
    expect(same).toBe(first);
    expect(other).not.toBe(first);
    const timestamp = server.calls[0]?.request.content.timestamp;
    expect(timestamp).toBeGreaterThanOrEqual(startedAt);
    expect(timestamp).toBeLessThanOrEqual(Math.floor(Date.now() / 1000));
  });

  it('logs the schedule context on the push line, never the text', async () => {
    await handler()(schedulerInput(), lambdaContext());

    const line = output.logs().find((l) => l.message === 'push delivered');
    expect(line).toMatchObject({
      scheduleArn: SCHEDULE_ARN,
      scheduledTime: '2026-12-03T09:00:00Z',
      announcementSource: 'scheduler',
      priority: 'high',
      schedulerAttempt: '1',
    });
    expect(output.lines.join('\n')).not.toContain('Maintenance tonight');
  });

  it.each([
    ['the message is missing', { message: undefined }, 'message'],
    ['the message is blank', { message: '  ' }, 'message: must not be blank'],
    ['the priority is unknown', { priority: 'urgent' }, 'priority'],
    ['a key is misspelt', { roomid: 'room-1' }, 'roomid'],
    ['a metadata value is not a string', { metadata: { n: 1 } }, 'metadata.n'],
    ['metadata sets priority', { metadata: { priority: 'x' } }, 'metadata'],
    [
      'the ARN placeholder was not filled',
      { scheduleArn: '<aws.scheduler.schedule-arn>' },
      'scheduleArn: is an unfilled',
    ],
    [
      'the time is not ISO 8601',
      { scheduledTime: 'tomorrow' },
      'scheduledTime: must be an ISO 8601 time',
    ],
    [
      'only the schedule ARN is given',
      { scheduledTime: undefined },
      'scheduleArn and scheduledTime go together',
    ],
  ])('rejects an input where %s', async (_case, fields, reason) => {
    const input = JSON.parse(JSON.stringify(schedulerInput(fields)));

    const result = handler()(input, lambdaContext());

    const error = await result.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidEventError);
    expect((error as Error).message).toContain(reason);
    expect(server.calls).toHaveLength(0);
    const rejected = output
      .logs()
      .find((l) => l.message === 'announcement rejected');
    expect(rejected).toMatchObject({ level: 'ERROR' });
    expect(String(rejected?.reason)).toContain(reason);
    const metrics = output.metrics();
    expect(metrics.some((m) => m.InvalidEvent === 1)).toBe(true);
    expect(output.lines.join('\n')).not.toContain('Maintenance tonight');
  });

  it.each([
    ['a Scheduled Event without a detail message', scheduledEvent({})],
    ['another EventBridge event', { ...scheduledEvent({}), source: 'aws.s3' }],
    ['a non-object event', 'Maintenance tonight'],
  ])('rejects %s', async (_case, event) => {
    const result = handler()(event, lambdaContext());

    await expect(result).rejects.toBeInstanceOf(InvalidEventError);
    expect(server.calls).toHaveLength(0);
  });

  it('throws when the push does not go through, for Lambda to retry', async () => {
    server.failNext(2, status.UNAVAILABLE);
    const announce = handler({ PUSH_MAX_ATTEMPTS: '2' });

    const result = announce(schedulerInput(), lambdaContext());

    const error = await result.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PushFailedError);
    expect(error).toMatchObject({ code: status.UNAVAILABLE, attempts: 2 });
    expect(output.metrics().some((m) => m.PushFailed === 1)).toBe(true);
  });

  it('accepts success = false as final: logged and counted, not thrown', async () => {
    server.behaviour = () => ({ success: false, total_delivered: 0 });

    const result = await handler()(schedulerInput(), lambdaContext());

    expect(result).toMatchObject({ delivered: false, reason: 'rejected' });
    expect(server.calls).toHaveLength(1);
    const warning = output
      .logs()
      .find((l) => l.message === 'push not delivered');
    expect(warning).toMatchObject({ level: 'WARN', target: 'broadcast' });
    const metrics = output.metrics();
    expect(metrics.some((m) => m.PushNotDelivered === 1)).toBe(true);
  });

  it('reports a missing room as not delivered', async () => {
    server.behaviour = () => ({
      success: false,
      delivered_count: 0,
      message: 'room not found',
    });

    const result = await handler()(
      schedulerInput({ roomId: 'room-gone' }),
      lambdaContext(),
    );

    expect(result).toMatchObject({
      delivered: false,
      reason: 'room_not_found',
      roomId: 'room-gone',
    });
  });
});
