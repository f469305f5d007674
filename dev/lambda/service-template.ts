import { basename } from 'node:path';

/** A resource of the compiled CloudFormation template. */
interface Resource {
  Type: string;
  // biome-ignore lint/suspicious/noExplicitAny: CloudFormation properties
  Properties?: any;
}

/** A function as the template deploys it. */
export interface TemplateFunction {
  logicalId: string;
  /** The key under `functions:` in serverless.yml. */
  key: string;
  name: string;
  handler: string;
  /** File name of its artifact in the package folder. */
  artifact: string;
  timeoutSeconds: number;
  memorySizeMb: number;
  environment: Record<string, string>;
  /** Variables whose value CloudFormation computes; not set locally. */
  computedVariables: string[];
  /** Retries and on-failure queue of asynchronous invocations. */
  async: {
    maximumRetryAttempts: number;
    maximumEventAgeSeconds: number;
    onFailureQueue?: string;
  };
}

export interface BucketNotification {
  bucket: string;
  /** Such as `s3:ObjectCreated:*`. */
  event: string;
  functionLogicalId: string;
  prefix?: string;
  suffix?: string;
}

export interface QueueMapping {
  queue: string;
  functionLogicalId: string;
  batchSize: number;
  maximumBatchingWindowSeconds: number;
  reportBatchItemFailures: boolean;
  visibilityTimeoutSeconds: number;
  /** From the queue's RedrivePolicy; unset when it has none. */
  maxReceiveCount?: number;
  deadLetterQueue?: string;
}

export interface Schedule {
  logicalId: string;
  name: string;
  /** `cron(...)`, `rate(...)` or `at(...)`. */
  expression: string;
  timezone: string;
  enabled: boolean;
  input?: string;
  functionLogicalId: string;
  maximumRetryAttempts: number;
  deadLetterQueue?: string;
}

/** What the stack runs locally, read from the template. */
export interface LocalService {
  functions: TemplateFunction[];
  notifications: BucketNotification[];
  buckets: string[];
  queueMappings: QueueMapping[];
  schedules: Schedule[];
}

// Lambda's defaults when the template leaves a setting out.
const DEFAULT_TIMEOUT_SECONDS = 3;
const DEFAULT_MEMORY_MB = 128;
const DEFAULT_ASYNC_RETRIES = 2;
const DEFAULT_ASYNC_EVENT_AGE_SECONDS = 21_600;
const DEFAULT_VISIBILITY_TIMEOUT_SECONDS = 30;
const DEFAULT_BATCH_SIZE = 10;
// EventBridge Scheduler's default retry policy.
const DEFAULT_SCHEDULER_RETRIES = 185;

/** The logical id a `Ref` or `Fn::GetAtt` points at. */
// biome-ignore lint/suspicious/noExplicitAny: CloudFormation intrinsic
function referenced(value: any): string | undefined {
  if (!value || typeof value !== 'object') return undefined;
  if (typeof value.Ref === 'string') return value.Ref;
  const target = value['Fn::GetAtt'];
  if (Array.isArray(target)) return String(target[0]);
  if (typeof target === 'string') return target.split('.')[0];
  return undefined;
}

function ofType(resources: Record<string, Resource>, type: string) {
  return Object.entries(resources).filter(([, r]) => r.Type === type);
}

function environmentOf(variables: Record<string, unknown> = {}) {
  const environment: Record<string, string> = {};
  const computedVariables: string[] = [];
  for (const [name, value] of Object.entries(variables)) {
    if (typeof value === 'string') environment[name] = value;
    else if (typeof value === 'number' || typeof value === 'boolean') {
      environment[name] = String(value);
    } else computedVariables.push(name);
  }
  return { environment, computedVariables };
}

function functionsOf(
  resources: Record<string, Resource>,
  namePrefix: string,
): TemplateFunction[] {
  const invokeConfigs = new Map(
    ofType(resources, 'AWS::Lambda::EventInvokeConfig').map(([, r]) => [
      referenced(r.Properties.FunctionName),
      r.Properties,
    ]),
  );

  return ofType(resources, 'AWS::Lambda::Function').map(([logicalId, r]) => {
    const p = r.Properties;
    const name = String(p.FunctionName);
    const invokeConfig = invokeConfigs.get(logicalId) ?? {};
    return {
      logicalId,
      key: name.startsWith(namePrefix) ? name.slice(namePrefix.length) : name,
      name,
      handler: String(p.Handler),
      artifact: basename(String(p.Code?.S3Key ?? `${name}.zip`)),
      timeoutSeconds: p.Timeout ?? DEFAULT_TIMEOUT_SECONDS,
      memorySizeMb: p.MemorySize ?? DEFAULT_MEMORY_MB,
      ...environmentOf(p.Environment?.Variables),
      async: {
        maximumRetryAttempts:
          invokeConfig.MaximumRetryAttempts ?? DEFAULT_ASYNC_RETRIES,
        maximumEventAgeSeconds:
          invokeConfig.MaximumEventAgeInSeconds ??
          DEFAULT_ASYNC_EVENT_AGE_SECONDS,
        onFailureQueue: referenced(
          invokeConfig.DestinationConfig?.OnFailure?.Destination,
        ),
      },
    };
  });
}

function notificationsOf(
  resources: Record<string, Resource>,
): BucketNotification[] {
  return ofType(resources, 'AWS::S3::Bucket').flatMap(([, r]) => {
    const configurations =
      r.Properties?.NotificationConfiguration?.LambdaConfigurations ?? [];
    return configurations.map(
      // biome-ignore lint/suspicious/noExplicitAny: CloudFormation properties
      (c: any): BucketNotification => {
        // biome-ignore lint/suspicious/noExplicitAny: CloudFormation rules
        const rules: any[] = c.Filter?.S3Key?.Rules ?? [];
        const rule = (name: string) =>
          rules.find((x) => String(x.Name).toLowerCase() === name)?.Value;
        return {
          bucket: String(r.Properties.BucketName),
          event: String(c.Event),
          functionLogicalId: referenced(c.Function) ?? '',
          prefix: rule('prefix'),
          suffix: rule('suffix'),
        };
      },
    );
  });
}

function queueMappingsOf(resources: Record<string, Resource>): QueueMapping[] {
  return ofType(resources, 'AWS::Lambda::EventSourceMapping')
    .filter(([, r]) => r.Properties.Enabled !== false)
    .flatMap(([, r]) => {
      const p = r.Properties;
      const queue = referenced(p.EventSourceArn);
      const queueResource = queue ? resources[queue] : undefined;
      if (!queue || queueResource?.Type !== 'AWS::SQS::Queue') return [];

      const q = queueResource.Properties ?? {};
      return [
        {
          queue,
          functionLogicalId: referenced(p.FunctionName) ?? '',
          batchSize: p.BatchSize ?? DEFAULT_BATCH_SIZE,
          maximumBatchingWindowSeconds: p.MaximumBatchingWindowInSeconds ?? 0,
          reportBatchItemFailures: (p.FunctionResponseTypes ?? []).includes(
            'ReportBatchItemFailures',
          ),
          visibilityTimeoutSeconds:
            q.VisibilityTimeout ?? DEFAULT_VISIBILITY_TIMEOUT_SECONDS,
          maxReceiveCount: q.RedrivePolicy?.maxReceiveCount,
          deadLetterQueue: referenced(q.RedrivePolicy?.deadLetterTargetArn),
        },
      ];
    });
}

function schedulesOf(resources: Record<string, Resource>): Schedule[] {
  return ofType(resources, 'AWS::Scheduler::Schedule').map(([logicalId, r]) => {
    const p = r.Properties;
    return {
      logicalId,
      name: String(p.Name ?? logicalId),
      expression: String(p.ScheduleExpression),
      timezone: String(p.ScheduleExpressionTimezone ?? 'UTC'),
      enabled: p.State !== 'DISABLED',
      input: typeof p.Target?.Input === 'string' ? p.Target.Input : undefined,
      functionLogicalId: referenced(p.Target?.Arn) ?? '',
      maximumRetryAttempts:
        p.Target?.RetryPolicy?.MaximumRetryAttempts ??
        DEFAULT_SCHEDULER_RETRIES,
      deadLetterQueue: referenced(p.Target?.DeadLetterConfig?.Arn),
    };
  });
}

/**
 * Reads what the stack needs from the compiled CloudFormation template of
 * `serverless package`: the functions with their environment, timeout and
 * retries, the bucket notifications, the queues with their event source
 * mappings and redrive policy, and the schedules.
 */
export function localServiceOf(
  // biome-ignore lint/suspicious/noExplicitAny: CloudFormation template
  template: any,
  functionNamePrefix: string,
): LocalService {
  const resources: Record<string, Resource> = template.Resources ?? {};
  return {
    functions: functionsOf(resources, functionNamePrefix),
    buckets: ofType(resources, 'AWS::S3::Bucket')
      .filter(
        ([id, r]) =>
          id !== 'ServerlessDeploymentBucket' &&
          typeof r.Properties?.BucketName === 'string',
      )
      .map(([, r]) => String(r.Properties?.BucketName)),
    notifications: notificationsOf(resources),
    queueMappings: queueMappingsOf(resources),
    schedules: schedulesOf(resources),
  };
}
