import { join } from 'node:path';
import { parseArgs } from 'node:util';
import {
  portSetting,
  runCommand,
  stopOnSignal,
  UsageError,
} from '../cli-support.js';
import {
  DEFAULT_PUSH_MANAGER_PORT,
  DEFAULT_VIEWER_PORT,
} from '../push-manager/dev-push-manager.js';
import { repoRoot } from '../repo-root.js';
import { DEFAULT_S3_PORT, LOCAL_S3_CREDENTIALS } from '../s3/local-bucket.js';
import {
  DEFAULT_LOCAL_VISIBILITY_TIMEOUT_SECONDS,
  type LocalStack,
  startLocalStack,
} from '../stack.js';
import { createTerminalLog } from '../terminal-log.js';

const USAGE = `Usage: npm start -- [options]

Runs the whole flow on 127.0.0.1: dev Push-Manager and viewer, local S3
bucket, translation queue and schedules, with the packaged functions.

  --push-manager-port N   gRPC port (env PUSH_MANAGER_PORT, default ${DEFAULT_PUSH_MANAGER_PORT})
  --viewer-port N         viewer and endpoints (env VIEWER_PORT, default ${DEFAULT_VIEWER_PORT})
  --s3-port N             S3 endpoint (env S3_PORT, default ${DEFAULT_S3_PORT})
  --state-dir DIR         S3 objects and dead letters (default .dev/state)
  --visibility-timeout S  seconds before a failed message returns
                          (default ${DEFAULT_LOCAL_VISIBILITY_TIMEOUT_SECONDS})
  --batching-window S     seconds the poller gathers a batch (default: serverless.yml)
  --env NAME=VALUE        extra function variable; repeatable
  --repackage             run serverless package even if sources are unchanged
  Ports may be 0: a free port is picked and printed.
`;

function nonNegativeSeconds(value: string | undefined, flag: string) {
  if (value === undefined) return undefined;
  const seconds = Number(value);
  if (!Number.isFinite(seconds) || seconds < 0) {
    throw new UsageError(`${flag} must be a number of seconds, got "${value}"`);
  }
  return seconds;
}

function functionEnv(pairs: string[] = []): Record<string, string> {
  return Object.fromEntries(
    pairs.map((pair) => {
      const equals = pair.indexOf('=');
      if (equals < 1) {
        throw new UsageError(`--env takes NAME=VALUE, got "${pair}"`);
      }
      return [pair.slice(0, equals), pair.slice(equals + 1)];
    }),
  );
}

function banner(stack: LocalStack): string {
  const viewer = stack.viewerUrl;
  const credentials =
    `AWS_ACCESS_KEY_ID=${LOCAL_S3_CREDENTIALS.accessKeyId} ` +
    `AWS_SECRET_ACCESS_KEY=${LOCAL_S3_CREDENTIALS.secretAccessKey}`;
  return [
    '',
    'Biz-Server local stack is running',
    `  viewer        ${viewer}?user=user-001&room=room-001`,
    `  Push-Manager  ${stack.pushManagerAddress} (gRPC)`,
    `  S3            ${stack.s3Endpoint} bucket ${stack.buckets.join(', ')}`,
    `                (${credentials})`,
    `  translations  POST ${viewer}translations`,
    `  announcements POST ${viewer}announcements`,
    `  schedules     POST ${viewer}schedules/fire?name=NAME`,
    `  dead letters  ${stack.deadLetterFile}`,
    'Ctrl-C stops everything.',
    '',
  ].join('\n');
}

runCommand(async () => {
  const { values } = parseArgs({
    options: {
      'push-manager-port': { type: 'string' },
      'viewer-port': { type: 'string' },
      's3-port': { type: 'string' },
      'state-dir': { type: 'string' },
      'visibility-timeout': { type: 'string' },
      'batching-window': { type: 'string' },
      env: { type: 'string', multiple: true },
      repackage: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return;
  }

  const log = createTerminalLog();
  let stack: LocalStack | undefined;
  // Installed first: Ctrl-C while packaging ends the process at once.
  stopOnSignal(async () => {
    if (!stack) return;
    log.info('stack', 'stopping');
    await stack.stop();
    log.info('stack', 'stopped');
  });

  stack = await startLocalStack({
    pushManagerPort: portSetting(
      values['push-manager-port'],
      'PUSH_MANAGER_PORT',
      DEFAULT_PUSH_MANAGER_PORT,
    ),
    viewerPort: portSetting(
      values['viewer-port'],
      'VIEWER_PORT',
      DEFAULT_VIEWER_PORT,
    ),
    s3Port: portSetting(values['s3-port'], 'S3_PORT', DEFAULT_S3_PORT),
    stateDir: values['state-dir'] ?? join(repoRoot(), '.dev', 'state'),
    visibilityTimeoutSeconds:
      nonNegativeSeconds(
        values['visibility-timeout'],
        '--visibility-timeout',
      ) ?? DEFAULT_LOCAL_VISIBILITY_TIMEOUT_SECONDS,
    batchingWindowSeconds: nonNegativeSeconds(
      values['batching-window'],
      '--batching-window',
    ),
    functionEnv: functionEnv(values.env),
    repackage: values.repackage ?? false,
    log,
  });
  process.stdout.write(banner(stack));
});
