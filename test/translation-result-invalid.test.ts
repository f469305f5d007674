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
  startPushManager,
  type TestPushManager,
} from './support/push-manager-server.js';

const SECRET = 'confidential-words-never-logged';
const valid = {
  userId: 'user-042',
  text: SECRET,
  sourceLanguage: 'en-US',
  targetLanguage: 'ja-JP',
};

describe('translationResult with invalid bodies', () => {
  let server: TestPushManager;
  let output: ReturnType<typeof captureOutput>;
  const runtimes: FunctionRuntime[] = [];

  function handlerWith(env: Record<string, string> = {}) {
    const runtime = createFunctionRuntime('translationResult', {
      PUSH_MANAGER_ADDRESS: server.address,
      ...env,
    });
    runtimes.push(runtime);
    return createTranslationResultHandler(runtime);
  }

  function invalidLogs() {
    return output
      .logs()
      .filter((log) => log.message === 'invalid translation record');
  }

  function invalidRecordsMetric(): number {
    return output
      .metrics()
      .reduce((sum, doc) => sum + (Number(doc.InvalidRecords) || 0), 0);
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

  it.each([
    {
      name: 'malformed JSON',
      body: `{"userId":"user-042","text":"${SECRET}`,
      reason: 'body is not valid JSON',
      paths: [],
    },
    {
      name: 'a body that is not an object',
      body: JSON.stringify(SECRET),
      paths: ['(body)'],
    },
    {
      name: 'missing fields',
      body: { userId: 'user-042' },
      paths: ['text', 'sourceLanguage', 'targetLanguage'],
    },
    {
      name: 'both userId and roomId',
      body: { ...valid, roomId: 'room-1' },
      paths: ['(body)'],
      message: 'exactly one of userId and roomId is required',
    },
    {
      name: 'neither userId nor roomId',
      body: { ...valid, userId: undefined },
      paths: ['(body)'],
      message: 'exactly one of userId and roomId is required',
    },
    {
      name: 'text over 32768 UTF-8 bytes (16,400 two-byte characters)',
      body: { ...valid, text: `${SECRET} ${'é'.repeat(16_400)}` },
      paths: ['text'],
      message: 'must be at most 32768 UTF-8 bytes',
    },
    {
      name: 'wrong types',
      body: { ...valid, userId: 42, text: [SECRET], final: 'yes' },
      paths: ['userId', 'text', 'final'],
    },
    {
      name: 'a language tag that is not BCP-47',
      body: { ...valid, sourceLanguage: 'en_US' },
      paths: ['sourceLanguage'],
    },
    {
      name: 'a timestamp in milliseconds',
      body: { ...valid, timestamp: 1_764_000_000_000 },
      paths: ['timestamp'],
      message: 'must be Unix seconds, not milliseconds',
    },
    {
      name: 'a timestamp string that is not ISO-8601',
      body: { ...valid, timestamp: 'yesterday' },
      paths: ['timestamp'],
    },
  ])('logs, counts and reports $name without the text', async (testCase) => {
    const record = sqsRecord({ body: testCase.body });

    const response = await handlerWith()(sqsEvent(record), lambdaContext());

    expect(response).toEqual({
      batchItemFailures: [{ itemIdentifier: record.messageId }],
    });
    expect(server.calls).toHaveLength(0);
    const [log, ...others] = invalidLogs();
    expect(others).toHaveLength(0);
    expect(log).toMatchObject({
      level: 'ERROR',
      sqsMessageId: record.messageId,
      reason:
        testCase.reason ?? 'body does not match the translation result schema',
    });
    const issues = log?.issues as { path: string; message: string }[];
    expect(issues.map((issue) => issue.path)).toEqual(testCase.paths);
    if (testCase.message) {
      expect(issues.map((issue) => issue.message)).toContain(testCase.message);
    }
    expect(invalidRecordsMetric()).toBe(1);
    expect(output.lines.join('\n')).not.toContain(SECRET);
    expect(output.lines.join('\n')).not.toContain('ééé');
  });

  it('measures the text limit in UTF-8 bytes, not characters', async () => {
    const atLimit = sqsRecord({ body: { ...valid, text: '你好ab' } });
    const overLimit = sqsRecord({ body: { ...valid, text: '你好abc' } });

    const response = await handlerWith({ TRANSLATION_MAX_TEXT_BYTES: '8' })(
      sqsEvent(atLimit, overLimit),
      lambdaContext(),
    );

    expect(response).toEqual({
      batchItemFailures: [{ itemIdentifier: overLimit.messageId }],
    });
    expect(server.calls).toHaveLength(1);
    expect(server.calls[0]?.request.content.data.toString('utf8')).toBe(
      '你好ab',
    );
  });

  it('ignores fields it does not know', async () => {
    const record = sqsRecord({ body: { ...valid, confidence: 0.93 } });

    const response = await handlerWith()(sqsEvent(record), lambdaContext());

    expect(response).toEqual({ batchItemFailures: [] });
    expect(server.calls[0]?.request.content.metadata).not.toHaveProperty(
      'confidence',
    );
  });
});
