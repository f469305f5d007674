import type { SQSEvent } from 'aws-lambda';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError, InvalidEventError } from '../lib/errors.js';
import {
  createFunctionRuntime,
  type FunctionRuntime,
} from '../lib/function-runtime.js';
import { createTranslationResultHandler } from '../lib/translation/translation-result-handler.js';
import { captureOutput } from './support/capture-logs.js';
import { redelivery, sqsEvent, sqsRecord } from './support/events/sqs-event.js';
import { lambdaContext } from './support/lambda-context.js';
import {
  startPushManager,
  type TestPushManager,
} from './support/push-manager-server.js';

const TRACEPARENT = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
const TEXT = 'Bonjour, ça va ? 你好，世界 👋';

describe('translationResult', () => {
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

  function metricTotal(name: string): number {
    return output.metrics().reduce((sum, doc) => {
      const value = doc[name];
      if (Array.isArray(value)) return sum + value.reduce((a, b) => a + b, 0);
      return sum + (typeof value === 'number' ? value : 0);
    }, 0);
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

  it('sends Push-Manager the exact PushToUser request for a user result', async () => {
    const record = sqsRecord({
      body: {
        userId: 'user-042',
        text: TEXT,
        sourceLanguage: 'en-US',
        targetLanguage: 'fr-FR',
        segmentId: 'seg-0007',
        final: true,
        timestamp: 1_764_000_000,
      },
      stringAttributes: { traceparent: TRACEPARENT },
    });
    const context = lambdaContext();

    const response = await handlerWith()(sqsEvent(record), context);

    expect(response).toEqual({ batchItemFailures: [] });
    expect(server.calls).toHaveLength(1);
    const [call] = server.calls;
    expect(call?.method).toBe('PushToUser');
    expect(call?.request).toEqual({
      user_id: 'user-042',
      content: {
        type: 'TRANSLATION',
        data: Buffer.from(TEXT, 'utf8'),
        timestamp: 1_764_000_000,
        metadata: {
          language: 'fr-FR',
          source: 'en-US',
          segment_id: 'seg-0007',
          final: 'true',
          message_id: record.messageId,
        },
      },
    });
    expect(call?.request.content.data.toString('utf8')).toBe(TEXT);
    expect(call?.metadata.traceparent).toBe(TRACEPARENT);
    expect(call?.metadata['x-request-id']).toBe(context.awsRequestId);
  });

  it('pushes a room result to the room, with an ISO timestamp and the producer id', async () => {
    const record = sqsRecord({
      body: {
        roomId: 'room-lobby',
        text: TEXT,
        sourceLanguage: 'fr-FR',
        targetLanguage: 'zh-Hans-CN',
        final: false,
        timestamp: '2025-11-24T16:00:00+01:00',
        messageId: 'tr-7d1f0c',
      },
    });

    const response = await handlerWith()(sqsEvent(record), lambdaContext());

    expect(response).toEqual({ batchItemFailures: [] });
    expect(server.calls.map((call) => call.method)).toEqual(['PushToRoom']);
    expect(server.calls[0]?.request).toEqual({
      room_id: 'room-lobby',
      exclude_user_ids: [],
      content: {
        type: 'TRANSLATION',
        data: Buffer.from(TEXT, 'utf8'),
        timestamp: Date.UTC(2025, 10, 24, 15) / 1000,
        metadata: {
          language: 'zh-Hans-CN',
          source: 'fr-FR',
          final: 'false',
          message_id: 'tr-7d1f0c',
        },
      },
    });
  });

  it('stamps the push with SentTimestamp when the body has no timestamp', async () => {
    const record = sqsRecord({
      body: {
        userId: 'user-042',
        text: 'hello',
        sourceLanguage: 'de',
        targetLanguage: 'en',
      },
      sentAtMs: 1_764_000_123_456,
    });

    await handlerWith()(sqsEvent(record), lambdaContext());

    expect(server.calls[0]?.request.content.timestamp).toBe(1_764_000_123);
    expect(server.calls[0]?.request.content.metadata).toEqual({
      language: 'en',
      source: 'de',
      message_id: record.messageId,
    });
  });

  it('keeps message_id the same when SQS delivers a record again', async () => {
    const handler = handlerWith();
    const body = {
      userId: 'user-042',
      text: 'hello',
      sourceLanguage: 'de',
      targetLanguage: 'en',
    };
    const record = sqsRecord({ body });
    const fromProducer = [1, 2].map(() =>
      sqsRecord({ body: { ...body, messageId: 'tr-42-seg-3' } }),
    );

    await handler(sqsEvent(record), lambdaContext());
    await handler(sqsEvent(redelivery(record)), lambdaContext());
    for (const sent of fromProducer) {
      await handler(sqsEvent(sent), lambdaContext());
    }

    const ids = server.calls.map(
      (call) => call.request.content.metadata.message_id,
    );
    expect(ids).toEqual([
      record.messageId,
      record.messageId,
      'tr-42-seg-3',
      'tr-42-seg-3',
    ]);
  });

  it('writes one summary line per batch with counts and never the text', async () => {
    const records = ['user-1', 'user-2'].map((userId) =>
      sqsRecord({
        body: {
          userId,
          text: TEXT,
          sourceLanguage: 'en',
          targetLanguage: 'fr',
        },
      }),
    );

    await handlerWith()(sqsEvent(...records), lambdaContext());

    const summaries = output
      .logs()
      .filter((log) => log.message === 'translation batch done');
    expect(summaries).toHaveLength(1);
    expect(summaries[0]).toMatchObject({
      records: 2,
      delivered: 2,
      dropped: 0,
      failed: 0,
      invalid: 0,
      notTried: 0,
      reported: 0,
    });
    expect(output.lines.join('\n')).not.toContain('世界');
    expect(output.lines.join('\n')).not.toContain('Bonjour');
  });

  describe('when nobody receives the translation', () => {
    const offline = () => ({ success: false, message: 'user not online' });
    const userRecord = () =>
      sqsRecord({
        body: {
          userId: 'user-away',
          text: 'hello',
          sourceLanguage: 'en',
          targetLanguage: 'fr',
        },
      });

    it('drops an offline user push by default, with a log line and metric', async () => {
      server.behaviour = offline;
      const record = userRecord();

      const response = await handlerWith()(sqsEvent(record), lambdaContext());

      expect(response).toEqual({ batchItemFailures: [] });
      const dropped = output
        .logs()
        .filter((log) => log.message === 'translation dropped');
      expect(dropped).toEqual([
        expect.objectContaining({
          sqsMessageId: record.messageId,
          reason: 'user_offline',
          policy: 'drop',
        }),
      ]);
      expect(metricTotal('RecordsDropped')).toBe(1);
    });

    it('hands an offline user push back when TRANSLATION_OFFLINE_POLICY=retry', async () => {
      server.behaviour = offline;
      const record = userRecord();

      const response = await handlerWith({
        TRANSLATION_OFFLINE_POLICY: 'retry',
      })(sqsEvent(record), lambdaContext());

      expect(response).toEqual({
        batchItemFailures: [{ itemIdentifier: record.messageId }],
      });
      expect(metricTotal('RecordsDropped')).toBe(0);
      expect(
        output
          .logs()
          .find(
            (log) =>
              log.message === 'translation undelivered, handed back for retry',
          ),
      ).toMatchObject({
        sqsMessageId: record.messageId,
        reason: 'user_offline',
      });
    });

    it.each([
      {
        answer: { success: true, delivered_count: 0, message: 'empty' },
        reason: 'room_empty',
      },
      {
        answer: { success: false, delivered_count: 0, message: 'no room' },
        reason: 'room_not_found',
      },
    ])(
      'applies TRANSLATION_EMPTY_ROOM_POLICY to a $reason push',
      async ({ answer, reason }) => {
        server.behaviour = () => answer;
        const body = {
          roomId: 'room-quiet',
          text: 'hello',
          sourceLanguage: 'en',
          targetLanguage: 'fr',
        };
        const dropped = sqsRecord({ body });
        const retried = sqsRecord({ body });

        const byDefault = await handlerWith()(
          sqsEvent(dropped),
          lambdaContext(),
        );
        const withRetry = await handlerWith({
          TRANSLATION_EMPTY_ROOM_POLICY: 'retry',
        })(sqsEvent(retried), lambdaContext());

        expect(byDefault).toEqual({ batchItemFailures: [] });
        expect(withRetry).toEqual({
          batchItemFailures: [{ itemIdentifier: retried.messageId }],
        });
        const droppedLog = output
          .logs()
          .find((log) => log.message === 'translation dropped');
        expect(droppedLog).toMatchObject({
          sqsMessageId: dropped.messageId,
          reason,
        });
        expect(metricTotal('RecordsDropped')).toBe(1);
      },
    );

    it('refuses to start with an unknown policy', () => {
      expect(() =>
        handlerWith({ TRANSLATION_OFFLINE_POLICY: 'later' }),
      ).toThrow(
        new ConfigError(
          'TRANSLATION_OFFLINE_POLICY',
          'must be one of drop, retry, got "later"',
        ),
      );
      expect(() =>
        handlerWith({ TRANSLATION_EMPTY_ROOM_POLICY: 'keep' }),
      ).toThrow(ConfigError);
    });
  });

  describe('rejects events that are not an SQS batch', () => {
    const kinesisRecord = {
      eventSource: 'aws:kinesis',
      eventSourceARN: 'arn:aws:kinesis:eu-west-1:123456789012:stream/x',
      kinesis: { data: 'e30=' },
    };

    it.each([
      { name: 'no Records', event: {}, error: /no Records array/ },
      { name: 'empty Records', event: { Records: [] }, error: /empty/ },
      {
        name: 'Kinesis records',
        event: { Records: [kinesisRecord] },
        error:
          /1 of 1 records do not come from SQS \(eventSource aws:kinesis\)/,
      },
    ])('throws InvalidEventError for $name', async ({ event, error }) => {
      const handler = handlerWith();

      const result = handler(event as unknown as SQSEvent, lambdaContext());

      await expect(result).rejects.toThrow(InvalidEventError);
      await expect(result).rejects.toThrow(error);
      expect(server.calls).toHaveLength(0);
      expect(
        output
          .logs()
          .filter((log) => log.message === 'translation event rejected'),
      ).toHaveLength(1);
    });

    it('throws for a batch that mixes SQS records with foreign ones', async () => {
      const sqs = sqsRecord({
        body: {
          userId: 'u',
          text: 't',
          sourceLanguage: 'en',
          targetLanguage: 'fr',
        },
      });
      const event = { Records: [sqs, kinesisRecord] } as unknown as SQSEvent;

      await expect(handlerWith()(event, lambdaContext())).rejects.toThrow(
        /1 of 2 records do not come from SQS/,
      );
      expect(server.calls).toHaveLength(0);
    });
  });
});
