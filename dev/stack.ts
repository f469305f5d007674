import { join } from 'node:path';
import { DeadLetterFile } from './dead-letter-file.js';
import { invokeAsync } from './lambda/async-invoker.js';
import {
  localFunctions,
  type ServiceFunction,
} from './lambda/local-functions.js';
import {
  type PackagedService,
  packageService,
} from './lambda/service-package.js';
import { isPortInUse, PortInUseError } from './ports.js';
import {
  PUSH_MANAGER_PORT_SETTING,
  startDevPushManager,
  VIEWER_PORT_SETTING,
} from './push-manager/dev-push-manager.js';
import { LocalQueue } from './queue/local-queue.js';
import { notificationApplies } from './s3/bucket-notification.js';
import {
  LOCAL_S3_CREDENTIALS,
  S3_PORT_SETTING,
  startLocalBucket,
} from './s3/local-bucket.js';
import { LocalScheduler } from './scheduler/local-scheduler.js';
import { addStackRoutes } from './stack-routes.js';
import type { StackLog } from './terminal-log.js';

/** The stage the stack packages: its own, so nothing is mistaken for dev. */
export const LOCAL_STAGE = 'local';
// Parameters of the local stage: the example schedules are on, to be seen.
const LOCAL_STAGE_PARAMS = { announcementSchedulesEnabled: 'true' };
/** Default for how long a failed message stays hidden, locally. */
export const DEFAULT_LOCAL_VISIBILITY_TIMEOUT_SECONDS = 2;

export interface StackOptions {
  /** 0 picks a free port, here and for the other ports. */
  pushManagerPort: number;
  viewerPort: number;
  s3Port: number;
  /** S3 objects and the dead-letter file. */
  stateDir: string;
  /** Replaces the queues' VisibilityTimeout. Default 2. */
  visibilityTimeoutSeconds: number;
  /** Replaces the mappings' MaximumBatchingWindowInSeconds when set. */
  batchingWindowSeconds?: number;
  /** Extra variables for every function, over the deployed ones. */
  functionEnv: Record<string, string>;
  repackage: boolean;
  log: StackLog;
}

export interface LocalStack {
  readonly pushManagerAddress: string;
  readonly viewerUrl: string;
  readonly s3Endpoint: string;
  readonly buckets: string[];
  readonly deadLetterFile: string;
  stop(): Promise<void>;
}

async function ensurePortsFree(options: StackOptions): Promise<void> {
  const ports: [number, string][] = [
    [options.pushManagerPort, PUSH_MANAGER_PORT_SETTING],
    [options.viewerPort, VIEWER_PORT_SETTING],
    [options.s3Port, S3_PORT_SETTING],
  ];
  for (const [port, setting] of ports) {
    if (port !== 0 && (await isPortInUse(port))) {
      throw new PortInUseError(port, setting);
    }
  }
}

function describeQueue(queue: LocalQueue, options: StackOptions): string {
  const { mapping } = queue;
  const windowSeconds =
    options.batchingWindowSeconds ?? mapping.maximumBatchingWindowSeconds;
  return (
    `${queue.name} -> ${queue.functionKey}: batches of ${mapping.batchSize}, ` +
    `window ${windowSeconds} s, retry after ${options.visibilityTimeoutSeconds}` +
    ` s (${mapping.visibilityTimeoutSeconds} s deployed), dead letter after ` +
    `${mapping.maxReceiveCount ?? 'no'} receives`
  );
}

/**
 * Starts the whole flow on 127.0.0.1: the dev Push-Manager and its viewer,
 * the service packaged as for a deploy, its functions, and the local S3
 * bucket, queues and schedules wired to them as the template wires them.
 */
export async function startLocalStack(
  options: StackOptions,
): Promise<LocalStack> {
  const { log } = options;
  await ensurePortsFree(options);

  const pushManager = await startDevPushManager({
    grpcPort: options.pushManagerPort,
    viewerPort: options.viewerPort,
    routesToCome: true,
    log,
  });
  const stops: (() => Promise<void> | void)[] = [() => pushManager.stop()];
  const stopAll = async () => {
    for (const stop of stops.reverse()) await stop();
  };

  try {
    const packaged: PackagedService = await packageService({
      stage: LOCAL_STAGE,
      params: LOCAL_STAGE_PARAMS,
      force: options.repackage,
      log,
    });
    const { service, region } = packaged;
    const deadLetters = new DeadLetterFile(
      join(options.stateDir, 'dead-letters.jsonl'),
      () => pushManager.viewer.sendToAll({ kind: 'dead-letters-changed' }),
    );
    const functions = new Map<string, ServiceFunction>();
    const invokeLater = (
      logicalId: string,
      event: unknown,
      summary: string,
    ) => {
      const target = functions.get(logicalId);
      if (!target) return;
      void invokeAsync(
        target.fn,
        target.settings.async,
        event,
        summary,
        deadLetters,
        log,
      );
    };

    const s3 = await startLocalBucket({
      port: options.s3Port,
      buckets: service.buckets,
      directory: join(options.stateDir, 's3'),
      region,
      log,
      onObjectCreated: (event) => {
        const record = event.Records[0];
        const summary = `${record?.eventName} ${record?.s3.object.key}`;
        for (const notification of service.notifications) {
          if (notificationApplies(notification, event)) {
            invokeLater(notification.functionLogicalId, event, summary);
          }
        }
      },
    });
    stops.push(() => s3.stop());

    const overrides = {
      PUSH_MANAGER_ADDRESS: pushManager.address,
      AWS_ENDPOINT_URL_S3: s3.endpoint,
      S3_FORCE_PATH_STYLE: 'true',
      AWS_ACCESS_KEY_ID: LOCAL_S3_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: LOCAL_S3_CREDENTIALS.secretAccessKey,
      ...options.functionEnv,
    };
    for (const [id, entry] of localFunctions(packaged, overrides, log)) {
      functions.set(id, entry);
    }
    log.info(
      'functions',
      `${[...functions.values()].map(({ fn }) => fn.definition.key).join(', ')}` +
        ': the deployed environment, with set locally ' +
        Object.entries(overrides)
          .filter(([name]) => name !== 'AWS_SECRET_ACCESS_KEY')
          .map(([name, value]) => `${name}=${value}`)
          .join(' '),
    );
    const stopFunctions = async () => {
      await Promise.all([...functions.values()].map(({ fn }) => fn.stop()));
    };
    stops.push(stopFunctions);

    const queues = service.queueMappings.flatMap((mapping) => {
      const target = functions.get(mapping.functionLogicalId);
      if (!target) return [];
      const queue = new LocalQueue({
        mapping,
        queueName: `${packaged.stackName}-${mapping.queue}`,
        region,
        fn: target.fn,
        visibilityTimeoutMs: options.visibilityTimeoutSeconds * 1000,
        batchingWindowMs:
          (options.batchingWindowSeconds ??
            mapping.maximumBatchingWindowSeconds) * 1000,
        deadLetters,
        log,
      });
      queue.start();
      log.info('queue', describeQueue(queue, options));
      return [queue];
    });
    // A batch in flight ends when its function is stopped, not at its
    // timeout: stop polling, stop the functions, then wait for the batch.
    stops.push(async () => {
      const drained = Promise.all(queues.map((queue) => queue.stop()));
      await stopFunctions();
      await drained;
    });

    const scheduler = new LocalScheduler({
      schedules: service.schedules,
      region,
      log,
      target: (schedule, input, summary) =>
        invokeLater(schedule.functionLogicalId, input, summary),
    });
    scheduler.start();
    stops.push(() => scheduler.stop());

    const announcementFunction =
      service.schedules[0]?.functionLogicalId ??
      service.functions.find((fn) => fn.key === 'announcement')?.logicalId;
    addStackRoutes({
      viewer: pushManager.viewer,
      queues,
      translationQueue:
        queues.find((queue) => queue.functionKey === 'translationResult') ??
        queues[0],
      scheduler,
      announce: announcementFunction
        ? (input) =>
            invokeLater(announcementFunction, input, 'announcement on demand')
        : undefined,
      deadLetters,
      info: {
        pushManagerAddress: pushManager.address,
        viewerUrl: pushManager.viewerUrl,
        s3Endpoint: s3.endpoint,
        buckets: service.buckets,
        s3Credentials: LOCAL_S3_CREDENTIALS,
        region,
        queues: queues.map((queue) => queue.name),
        deadLetterFile: deadLetters.path,
      },
    });
    pushManager.viewer.markReady();

    return {
      pushManagerAddress: pushManager.address,
      viewerUrl: pushManager.viewerUrl,
      s3Endpoint: s3.endpoint,
      buckets: service.buckets,
      deadLetterFile: deadLetters.path,
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
