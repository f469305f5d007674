import { setTimeout as sleep } from 'node:timers/promises';
import { status } from '@grpc/grpc-js';
import type { SQSRecord } from 'aws-lambda';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createFunctionRuntime,
  type FunctionRuntime,
} from '../lib/function-runtime.js';
import { createTranslationResultHandler } from '../lib/translation/translation-result-handler.js';
import { captureOutput } from './support/capture-logs.js';
import { sqsEvent, sqsRecord } from './support/events/sqs-event.js';
import { lambdaContext } from './support/lambda-context.js';
import {
  DEFAULT_ANSWERS,
  GrpcStatusError,
  type ReceivedCall,
  startPushManager,
  type TestPushManager,
} from './support/push-manager-server.js';

function translation(
  userId: string,
  segmentId: string,
  messageGroupId?: string,
): SQSRecord {
  return sqsRecord({
    body: {
      userId,
      text: `segment ${segmentId}`,
      sourceLanguage: 'en-US',
      targetLanguage: 'es-ES',
      segmentId,
    },
    messageGroupId,
  });
}

function failed(...records: SQSRecord[]) {
  return records.map((record) => ({ itemIdentifier: record.messageId }));
}

const segmentOf = (call: ReceivedCall): string =>
  call.request.content.metadata.segment_id;

describe('translationResult batches', () => {
  let server: TestPushManager;
  let output: ReturnType<typeof captureOutput>;
  const runtimes: FunctionRuntime[] = [];

  function handlerWith(env: Record<string, string> = {}) {
    const runtime = createFunctionRuntime('translationResult', {
      PUSH_MANAGER_ADDRESS: server.address,
      PUSH_RETRY_BASE_MS: '10',
      ...env,
    });
    runtimes.push(runtime);
    return createTranslationResultHandler(runtime);
  }

  /** Answers after `delayMs`, tracking the most calls in flight at once. */
  function slowServer(delayMs: number, keyOf = (_call: ReceivedCall) => '') {
    const inFlight = new Map<string, number>();
    const most = { total: 0, perKey: 0 };
    let total = 0;
    server.behaviour = async (call) => {
      const key = keyOf(call);
      total += 1;
      inFlight.set(key, (inFlight.get(key) ?? 0) + 1);
      most.total = Math.max(most.total, total);
      most.perKey = Math.max(most.perKey, inFlight.get(key) ?? 0);

      await sleep(delayMs);

      total -= 1;
      inFlight.set(key, (inFlight.get(key) ?? 0) - 1);
      return DEFAULT_ANSWERS[call.method];
    };
    return most;
  }

  function summary() {
    return output
      .logs()
      .find((log) => log.message === 'translation batch done');
  }

  beforeEach(async () => {
    server = await startPushManager();
    output = captureOutput();
  });

  afterEach(async () => {
    output.restore();
    for (const runtime of runtimes.splice(0)) runtime.push.close();
    await server.stop();
  });

  it('reports exactly the invalid record and the one whose push failed', async () => {
    server.behaviour = (call) => {
      if (call.request.user_id === 'user-unreachable') {
        throw new GrpcStatusError(status.UNAVAILABLE, 'connect failed');
      }
      return DEFAULT_ANSWERS[call.method];
    };
    const first = translation('user-1', 's1');
    const invalid = sqsRecord({ body: '{"userId":"user-2","text":' });
    const unreachable = translation('user-unreachable', 's3');
    const last = translation('user-4', 's4');

    const response = await handlerWith()(
      sqsEvent(first, invalid, unreachable, last),
      lambdaContext(),
    );

    expect(response).toEqual({
      batchItemFailures: failed(invalid, unreachable),
    });
    const users = server.calls.map((call) => call.request.user_id);
    expect(users.filter((user) => user === 'user-unreachable')).toHaveLength(3);
    expect(users).toContain('user-1');
    expect(users).toContain('user-4');
    expect(summary()).toMatchObject({
      records: 4,
      delivered: 2,
      invalid: 1,
      failed: 1,
      notTried: 0,
      reported: 2,
    });
  });

  it('keeps FIFO group order and holds back a group after its first failure', async () => {
    server.behaviour = (call) => {
      if (segmentOf(call) === 'A2') {
        throw new GrpcStatusError(status.UNAVAILABLE, 'node restarting');
      }
      return DEFAULT_ANSWERS[call.method];
    };
    const a1 = translation('user-a', 'A1', 'group-a');
    const b1 = translation('user-b', 'B1', 'group-b');
    const a2 = translation('user-a', 'A2', 'group-a');
    const b2 = translation('user-b', 'B2', 'group-b');
    const a3 = translation('user-a', 'A3', 'group-a');
    const b3 = translation('user-b', 'B3', 'group-b');
    const b4 = translation('user-b', 'B4', 'group-b');

    const response = await handlerWith()(
      sqsEvent(a1, b1, a2, b2, a3, b3, b4),
      lambdaContext(),
    );

    expect(response).toEqual({ batchItemFailures: failed(a2, a3) });
    const received = server.calls.map(segmentOf);
    expect(received.filter((segment) => segment.startsWith('A'))).toEqual([
      'A1',
      'A2',
      'A2',
      'A2',
    ]);
    expect(received.filter((segment) => segment.startsWith('B'))).toEqual([
      'B1',
      'B2',
      'B3',
      'B4',
    ]);
    expect(
      output
        .logs()
        .find(
          (log) => log.message === 'translation records handed back untried',
        ),
    ).toMatchObject({ heldBehindFailureInGroup: [a3.messageId] });
  });

  it('lets a FIFO group go on past an invalid record', async () => {
    const invalid = sqsRecord({
      body: { userId: 'user-a', text: '', sourceLanguage: 'en' },
      messageGroupId: 'group-a',
    });
    const next = translation('user-a', 'A2', 'group-a');

    const response = await handlerWith()(
      sqsEvent(invalid, next),
      lambdaContext(),
    );

    expect(response).toEqual({ batchItemFailures: failed(invalid) });
    expect(server.calls.map(segmentOf)).toEqual(['A2']);
  });

  it('runs one record per FIFO group at a time and groups side by side', async () => {
    const most = slowServer(30, (call) => call.request.user_id);
    const records = [1, 2, 3].flatMap((n) =>
      ['a', 'b', 'c'].map((group) =>
        translation(`user-${group}`, `${group}${n}`, `group-${group}`),
      ),
    );

    const response = await handlerWith()(sqsEvent(...records), lambdaContext());

    expect(response).toEqual({ batchItemFailures: [] });
    expect(most.perKey).toBe(1);
    expect(most.total).toBeGreaterThan(1);
    expect(most.total).toBeLessThanOrEqual(3);
    for (const group of ['a', 'b', 'c']) {
      expect(
        server.calls
          .filter((call) => call.request.user_id === `user-${group}`)
          .map(segmentOf),
      ).toEqual([`${group}1`, `${group}2`, `${group}3`]);
    }
  });

  it('never has more pushes in flight than PUSH_CONCURRENCY', async () => {
    const most = slowServer(20);
    const records = Array.from({ length: 25 }, (_, n) =>
      translation(`user-${n}`, `s${n}`),
    );

    const response = await handlerWith({ PUSH_CONCURRENCY: '4' })(
      sqsEvent(...records),
      lambdaContext(),
    );

    expect(response).toEqual({ batchItemFailures: [] });
    expect(server.calls).toHaveLength(25);
    expect(most.total).toBe(4);
  });

  it('reports the records it had no time to try instead of timing out', async () => {
    slowServer(250);
    const records = Array.from({ length: 8 }, (_, n) =>
      translation(`user-${n}`, `s${n}`),
    );
    const context = lambdaContext(1200);

    const response = await handlerWith({
      PUSH_CONCURRENCY: '1',
      PUSH_DEADLINE_MARGIN_MS: '100',
    })(sqsEvent(...records), context);

    expect(context.getRemainingTimeInMillis()).toBeGreaterThan(0);
    const tried = new Set(server.calls.map(segmentOf));
    const untried = records.filter((_, n) => !tried.has(`s${n}`));
    const reported = response.batchItemFailures.map(
      (failure) => failure.itemIdentifier,
    );
    expect(tried.has('s0')).toBe(true);
    expect(reported).not.toContain(records[0]?.messageId);
    expect(untried.length).toBeGreaterThan(0);
    expect(reported).toEqual(
      expect.arrayContaining(untried.map((record) => record.messageId)),
    );
    expect(summary()).toMatchObject({ notTried: untried.length });
  });
});
