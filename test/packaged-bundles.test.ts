import {
  existsSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { unzip } from '../dev/lambda/unzip.js';
import { stableMessageId } from '../lib/message-id.js';
import { invokeBundle } from './support/invoke-bundle.js';
import {
  FUNCTION_NAMES,
  type FunctionName,
  type PackagedService,
  packageBundles,
} from './support/package-bundles.js';
import {
  startPushManager,
  type TestPushManager,
} from './support/push-manager-server.js';
import {
  S3_CREDENTIALS,
  S3_REGION,
  startS3,
  type TestS3,
} from './support/s3-server.js';

const PACKAGE_TIMEOUT_MS = 330_000;
const INVOKE_TIMEOUT_MS = 90_000;
// Lambda refuses a zipped deployment package above 50 MB.
const LAMBDA_MAX_ZIP_BYTES = 50 * 1024 * 1024;
const AUDIO_BUCKET = 'biz-server-dev-audio';

const root = fileURLToPath(new URL('..', import.meta.url));
const sampleEvent = (name: string) =>
  JSON.parse(readFileSync(join(root, 'events', `${name}.json`), 'utf8'));

function ancestorsOf(dir: string): string[] {
  const parent = dirname(dir);
  return parent === dir ? [dir] : [dir, ...ancestorsOf(parent)];
}

describe('packaged bundles', () => {
  let service: PackagedService;
  let pushManager: TestPushManager;
  let s3: TestS3;
  let workDir: string;

  function lambda(name: FunctionName) {
    const logicalId = `${name[0]?.toUpperCase()}${name.slice(1)}LambdaFunction`;
    return service.template.Resources[logicalId].Properties;
  }

  // The function's own environment from the template, with Push-Manager and
  // S3 on 127.0.0.1, and nothing of this machine's environment.
  function invoke(name: FunctionName, event: unknown, env = {}) {
    const taskRoot = join(workDir, name, 'task');
    const { Handler, FunctionName: functionName } = lambda(name);
    return invokeBundle({
      taskRoot,
      handler: Handler,
      event,
      workDir: join(workDir, name, 'run'),
      env: {
        PATH: process.env.PATH,
        HOME: join(workDir, name, 'run'),
        AWS_REGION: S3_REGION,
        AWS_LAMBDA_FUNCTION_NAME: functionName,
        ...lambda(name).Environment.Variables,
        PUSH_MANAGER_ADDRESS: pushManager.address,
        ...env,
      },
    });
  }

  beforeAll(async () => {
    service = await packageBundles();
    workDir = mkdtempSync(join(tmpdir(), 'biz-server-bundles-'));
    for (const name of FUNCTION_NAMES) {
      await unzip(service.zips[name], join(workDir, name, 'task'));
    }
    pushManager = await startPushManager();
    s3 = await startS3(AUDIO_BUCKET);
  }, PACKAGE_TIMEOUT_MS);

  afterAll(async () => {
    await pushManager?.stop();
    await s3?.stop();
    if (workDir) rmSync(workDir, { recursive: true, force: true });
  });

  it('unpacks where no node_modules could fill in for the bundle', () => {
    const unpacked = join(workDir, 'announcement', 'task', 'functions');

    const found = ancestorsOf(unpacked).filter((dir) =>
      existsSync(join(dir, 'node_modules')),
    );

    expect(found).toEqual([]);
  });

  it.each(FUNCTION_NAMES)(
    'ships %s as one script and its source map',
    (name) => {
      const size = statSync(service.zips[name]).size;
      const file = lambda(name).Handler.replace(/\.handler$/, '.js');

      console.log(`${name}.zip: ${size} bytes`);
      expect(size).toBeLessThan(LAMBDA_MAX_ZIP_BYTES);
      expect(existsSync(join(workDir, name, 'task', file))).toBe(true);
      expect(existsSync(join(workDir, name, 'task', `${file}.map`))).toBe(true);
    },
  );

  it(
    'broadcasts from the announcement bundle',
    async () => {
      const event = sampleEvent('announcement');
      pushManager.calls.length = 0;

      const outcome = await invoke('announcement', event);

      expect(outcome.error).toBeUndefined();
      expect(pushManager.calls).toHaveLength(1);
      expect(pushManager.calls[0]?.request).toEqual({
        content: {
          type: 'SYSTEM',
          data: Buffer.from(event.message, 'utf8'),
          timestamp: Date.parse(event.scheduledTime) / 1000,
          metadata: {
            priority: 'high',
            category: 'maintenance',
            message_id: stableMessageId(
              'announcement',
              event.scheduleArn,
              event.scheduledTime,
            ),
          },
        },
      });
      console.log(`announcement: handler loaded in ${outcome.initMs} ms`);
    },
    INVOKE_TIMEOUT_MS,
  );

  it(
    'pushes to the room of a Scheduled Event from the announcement bundle',
    async () => {
      pushManager.calls.length = 0;

      const outcome = await invoke(
        'announcement',
        sampleEvent('announcement-scheduled-event'),
      );

      expect(outcome.result).toMatchObject({ target: 'room', delivered: true });
      expect(pushManager.calls[0]?.method).toBe('PushToRoom');
      expect(pushManager.calls[0]?.request.room_id).toBe('lobby');
    },
    INVOKE_TIMEOUT_MS,
  );

  it(
    'keeps error names, and maps stacks to the sources when asked to',
    async () => {
      const outcome = await invoke(
        'announcement',
        { message: 'x', roomid: 1 },
        { NODE_OPTIONS: '--enable-source-maps' },
      );

      expect(outcome.ok).toBe(false);
      expect(outcome.error?.name).toBe('InvalidEventError');
      expect(outcome.error?.message).toContain('roomid');
      expect(outcome.error?.stack).toContain('parse-announcement.ts');
    },
    INVOKE_TIMEOUT_MS,
  );

  it(
    'pushes a translation to its user from the translationResult bundle',
    async () => {
      const event = sampleEvent('translation-result');
      const body = JSON.parse(event.Records[0].body);
      pushManager.calls.length = 0;

      const outcome = await invoke('translationResult', event);

      expect(outcome.result).toEqual({ batchItemFailures: [] });
      expect(pushManager.calls).toHaveLength(1);
      const [call] = pushManager.calls;
      expect(call?.method).toBe('PushToUser');
      expect(call?.request.user_id).toBe(body.userId);
      expect(call?.request.content.type).toBe('TRANSLATION');
      expect(call?.request.content.data).toEqual(Buffer.from(body.text));
      expect(call?.request.content.metadata).toMatchObject({
        language: body.targetLanguage,
        source: body.sourceLanguage,
      });
      console.log(`translationResult: handler loaded in ${outcome.initMs} ms`);
    },
    INVOKE_TIMEOUT_MS,
  );

  it(
    'pushes an uploaded clip to its room from the audioUpload bundle',
    async () => {
      const event = sampleEvent('audio-upload');
      const { key, size } = event.Records[0].s3.object;
      const clip = readFileSync(
        join(root, 'test', 'fixtures', 'audio', 'voice-2s.opus'),
      );
      expect(clip.byteLength).toBe(size);
      await s3.put(AUDIO_BUCKET, key, clip, {
        contentType: 'audio/ogg',
        metadata: { 'user-id': 'user-002' },
      });
      pushManager.calls.length = 0;

      const outcome = await invoke('audioUpload', event, {
        AWS_ENDPOINT_URL_S3: s3.endpoint,
        S3_FORCE_PATH_STYLE: 'true',
        AWS_ACCESS_KEY_ID: S3_CREDENTIALS.accessKeyId,
        AWS_SECRET_ACCESS_KEY: S3_CREDENTIALS.secretAccessKey,
      });

      expect(outcome.error).toBeUndefined();
      expect(pushManager.calls).toHaveLength(1);
      const [call] = pushManager.calls;
      expect(call?.method).toBe('PushToRoom');
      expect(call?.request.room_id).toBe('room-001');
      expect(call?.request.exclude_user_ids).toEqual(['user-002']);
      expect(call?.request.content.type).toBe('AUDIO');
      expect(call?.request.content.data).toEqual(clip);
      expect(call?.request.content.metadata.format).toBe('opus');
      console.log(`audioUpload: handler loaded in ${outcome.initMs} ms`);
    },
    INVOKE_TIMEOUT_MS,
  );
});
