import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { SQSEvent } from 'aws-lambda';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DeadLetterFile } from '../dev/dead-letter-file.js';
import { LocalFunction } from '../dev/lambda/local-function.js';
import type { QueueMapping } from '../dev/lambda/service-template.js';
import { batchOutcome } from '../dev/queue/batch-outcome.js';
import { LocalQueue } from '../dev/queue/local-queue.js';
import { createTerminalLog } from '../dev/terminal-log.js';

// A function for the queue to call: it records each event and its context,
// reports bodies starting with "fail" as failed, throws on "throw" and
// outlives its timeout on "hang".
const HANDLER = `
const { appendFileSync } = require('node:fs');
exports.handler = async (event, context) => {
  appendFileSync(process.env.EVENTS_FILE, JSON.stringify({
    event,
    context: {
      awsRequestId: context.awsRequestId,
      functionName: context.functionName,
      invokedFunctionArn: context.invokedFunctionArn,
      remainingMs: context.getRemainingTimeInMillis(),
    },
    functionNameVariable: process.env.AWS_LAMBDA_FUNCTION_NAME,
  }) + '\\n');
  const bodies = event.Records.map((record) => record.body);
  if (bodies.includes('throw')) throw new Error('the whole batch fails');
  if (bodies.includes('hang')) await new Promise((r) => setTimeout(r, 60000));
  return {
    batchItemFailures: event.Records.filter((r) => r.body.startsWith('fail'))
      .map((r) => ({ itemIdentifier: r.messageId })),
  };
};
`;

const TIMEOUT_SECONDS = 2;

const MAPPING: QueueMapping = {
  queue: 'TranslationQueue',
  functionLogicalId: 'TranslationResultLambdaFunction',
  batchSize: 10,
  maximumBatchingWindowSeconds: 5,
  reportBatchItemFailures: true,
  visibilityTimeoutSeconds: 185,
  maxReceiveCount: 3,
  deadLetterQueue: 'TranslationDeadLetterQueue',
};

interface Invocation {
  event: SQSEvent;
  context: Record<string, unknown>;
  functionNameVariable: string;
}

const silentLog = createTerminalLog(
  new Writable({ write: (_chunk, _encoding, done) => done() }),
  {},
);

describe('local translation queue', () => {
  let folder: string;
  let fn: LocalFunction;
  let deadLetters: DeadLetterFile;
  let queue: LocalQueue;

  async function invocations(): Promise<Invocation[]> {
    const text = await readFile(join(folder, 'events.jsonl'), 'utf8').catch(
      () => '',
    );
    return text
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line));
  }

  beforeEach(async () => {
    folder = await mkdtemp(join(tmpdir(), 'local-queue-'));
    await writeFile(join(folder, 'handler.js'), HANDLER);
    fn = new LocalFunction(
      {
        key: 'translationResult',
        name: 'biz-server-local-translationResult',
        handlerFile: join(folder, 'handler.js'),
        exportName: 'handler',
        timeoutSeconds: TIMEOUT_SECONDS,
        memorySizeMb: 256,
        region: 'eu-west-1',
        environment: { EVENTS_FILE: join(folder, 'events.jsonl') },
      },
      silentLog,
    );
    deadLetters = new DeadLetterFile(join(folder, 'dead-letters.jsonl'));
    queue = new LocalQueue({
      mapping: MAPPING,
      queueName: 'biz-server-local-TranslationQueue',
      region: 'eu-west-1',
      fn,
      visibilityTimeoutMs: 0,
      batchingWindowMs: 200,
      deadLetters,
      log: silentLog,
    });
    queue.start();
  });

  afterEach(async () => {
    await queue.stop();
    await fn.stop();
    await rm(folder, { recursive: true, force: true });
  });

  it('hands messages over in one batch shaped as Lambda delivers SQS', async () => {
    const sent = [
      queue.send('{"userId":"user-001"}', { traceparent: 'trace-1' }),
      queue.send('{"userId":"user-002"}'),
    ];

    await expect.poll(() => queue.depth, { timeout: 10_000 }).toBe(0);
    const [invocation, ...others] = await invocations();
    expect(others).toEqual([]);
    expect(invocation?.event.Records).toHaveLength(2);
    const [first] = invocation?.event.Records ?? [];
    expect(first).toMatchObject({
      messageId: sent[0]?.messageId,
      body: '{"userId":"user-001"}',
      md5OfBody: createHash('md5')
        .update('{"userId":"user-001"}')
        .digest('hex'),
      eventSource: 'aws:sqs',
      eventSourceARN:
        'arn:aws:sqs:eu-west-1:000000000000:biz-server-local-TranslationQueue',
      awsRegion: 'eu-west-1',
      attributes: {
        ApproximateReceiveCount: '1',
        SentTimestamp: String(sent[0]?.sentAtMs),
        SenderId: expect.any(String),
        ApproximateFirstReceiveTimestamp: expect.stringMatching(/^\d{13}$/),
      },
      messageAttributes: {
        traceparent: {
          stringValue: 'trace-1',
          stringListValues: [],
          binaryListValues: [],
          dataType: 'String',
        },
      },
    });
    expect(first?.receiptHandle).toMatch(/^[A-Za-z0-9+/=]{100,}$/);
  });

  it('gives the function a Lambda context and environment', async () => {
    queue.send('ok');

    await expect.poll(() => queue.depth, { timeout: 10_000 }).toBe(0);
    const [invocation] = await invocations();
    expect(invocation?.context).toMatchObject({
      awsRequestId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      functionName: 'biz-server-local-translationResult',
      invokedFunctionArn:
        'arn:aws:lambda:eu-west-1:000000000000:function:biz-server-local-translationResult',
    });
    expect(invocation?.context.remainingMs).toBeGreaterThan(0);
    expect(invocation?.context.remainingMs).toBeLessThanOrEqual(
      TIMEOUT_SECONDS * 1000,
    );
    expect(invocation?.functionNameVariable).toBe(
      'biz-server-local-translationResult',
    );
  });

  it('redelivers reported failures, counting receives, then parks them', async () => {
    const failing = queue.send('fail: user offline');
    queue.send('delivered');

    await expect
      .poll(async () => (await deadLetters.list()).length, { timeout: 15_000 })
      .toBe(1);
    const counts = (await invocations()).map(({ event }) =>
      event.Records.map((r) => [r.body, r.attributes.ApproximateReceiveCount]),
    );
    expect(counts).toEqual([
      [
        ['fail: user offline', '1'],
        ['delivered', '1'],
      ],
      [['fail: user offline', '2']],
      [['fail: user offline', '3']],
    ]);
    const [parked] = await deadLetters.list();
    expect(parked).toMatchObject({
      source: 'TranslationDeadLetterQueue',
      functionName: 'translationResult',
      reason: 'received 3 times without success (maxReceiveCount 3)',
      event: {
        messageId: failing.messageId,
        body: 'fail: user offline',
        attributes: { ApproximateReceiveCount: '3' },
      },
    });
    expect(queue.depth).toBe(0);
  });

  it('returns the whole batch when the function throws', async () => {
    queue.send('throw');
    queue.send('innocent');

    await expect
      .poll(async () => (await deadLetters.list()).length, { timeout: 15_000 })
      .toBe(2);
    const batches = (await invocations()).map(
      ({ event }) => event.Records.length,
    );
    expect(batches).toEqual([2, 2, 2]);
  });

  it('ends an invocation that outlives its timeout and starts afresh', async () => {
    const result = await fn.invoke({ Records: [{ body: 'hang' }] }, 'hang');
    const next = await fn.invoke(
      { Records: [{ body: 'ok', messageId: 'm-1' }] },
      'after the timeout',
    );

    expect(result).toMatchObject({
      ok: false,
      errorType: 'Sandbox.Timedout',
      errorMessage: `Task timed out after ${TIMEOUT_SECONDS} seconds`,
    });
    expect(next).toMatchObject({ ok: true, result: { batchItemFailures: [] } });
  });
});

describe('batchOutcome', () => {
  const ok = (result: unknown) =>
    ({ ok: true, requestId: 'r', durationMs: 1, result }) as const;

  it('deletes the batch when the answer lists no failures', () => {
    for (const answer of [undefined, null, {}, { batchItemFailures: [] }]) {
      expect(batchOutcome(ok(answer), ['a', 'b'], true).failedIds.size).toBe(0);
    }
  });

  it('returns only the listed messages', () => {
    const outcome = batchOutcome(
      ok({ batchItemFailures: [{ itemIdentifier: 'b' }] }),
      ['a', 'b'],
      true,
    );

    expect([...outcome.failedIds]).toEqual(['b']);
    expect(outcome.wholeBatchFailed).toBeUndefined();
  });

  it('fails the whole batch for an id that is empty or not in it', () => {
    for (const itemIdentifier of ['', 'zzz', null]) {
      const outcome = batchOutcome(
        ok({ batchItemFailures: [{ itemIdentifier }] }),
        ['a', 'b'],
        true,
      );
      expect([...outcome.failedIds].sort()).toEqual(['a', 'b']);
      expect(outcome.wholeBatchFailed).toContain('is not in the batch');
    }
  });

  it('ignores the answer when the mapping does not report item failures', () => {
    const outcome = batchOutcome(
      ok({ batchItemFailures: [{ itemIdentifier: 'a' }] }),
      ['a'],
      false,
    );

    expect(outcome.failedIds.size).toBe(0);
  });
});
