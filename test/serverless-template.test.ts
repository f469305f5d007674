import { beforeAll, describe, expect, it } from 'vitest';
import { parseAnnouncement } from '../lib/announcement/parse-announcement.js';
import {
  FUNCTION_NAMES,
  type FunctionName,
  packageBundles,
} from './support/package-bundles.js';

const PACKAGE_TIMEOUT_MS = 330_000;

// biome-ignore lint/suspicious/noExplicitAny: CloudFormation JSON
type Resource = { Type: string; Properties: any; Condition?: string };

const HANDLERS: Record<FunctionName, string> = {
  audioUpload: 'functions/audio-upload.handler',
  translationResult: 'functions/translation-result.handler',
  announcement: 'functions/announcement.handler',
};

describe('serverless.yml', () => {
  let resources: Record<string, Resource>;
  // biome-ignore lint/suspicious/noExplicitAny: CloudFormation JSON
  let conditions: any;

  function ofType(type: string): [string, Resource][] {
    return Object.entries(resources).filter(([, r]) => r.Type === type);
  }

  function lambda(name: FunctionName): Resource {
    const logicalId = logicalIdOf(name);
    const resource = resources[logicalId];
    if (!resource) throw new Error(`${logicalId} is not in the template`);
    return resource;
  }

  function invokeConfig(name: FunctionName): Resource | undefined {
    return ofType('AWS::Lambda::EventInvokeConfig')
      .map(([, r]) => r)
      .find((r) => r.Properties.FunctionName.Ref === logicalIdOf(name));
  }

  function logicalIdOf(name: FunctionName): string {
    return `${name[0]?.toUpperCase()}${name.slice(1)}LambdaFunction`;
  }

  function queueIdOf(arn: unknown): string {
    const [logicalId, attribute] = (arn as { 'Fn::GetAtt': string[] })[
      'Fn::GetAtt'
    ];
    expect(attribute).toBe('Arn');
    expect(resources[logicalId as string]?.Type).toBe('AWS::SQS::Queue');
    return logicalId as string;
  }

  beforeAll(async () => {
    const { template } = await packageBundles();
    resources = template.Resources;
    conditions = template.Conditions;
  }, PACKAGE_TIMEOUT_MS);

  it('declares exactly the three functions with their handlers', () => {
    const functions = ofType('AWS::Lambda::Function').map(
      ([, r]) => r.Properties.FunctionName,
    );

    expect(functions.sort()).toEqual(
      FUNCTION_NAMES.map((name) => `biz-server-dev-${name}`).sort(),
    );
    for (const name of FUNCTION_NAMES) {
      expect(lambda(name).Properties.Handler).toBe(HANDLERS[name]);
    }
  });

  it.each(FUNCTION_NAMES)(
    'runs %s on nodejs22.x, arm64, in the VPC',
    (name) => {
      const { Properties } = lambda(name);

      expect(Properties.Runtime).toBe('nodejs22.x');
      expect(Properties.Architectures).toEqual(['arm64']);
      expect(Properties.VpcConfig.SubnetIds).toEqual({
        'Fn::Split': [',', 'subnet-00000000000000000,subnet-00000000000000001'],
      });
      expect(Properties.VpcConfig.SecurityGroupIds).toEqual({
        'Fn::Split': [',', 'sg-00000000000000000'],
      });
    },
  );

  it.each(FUNCTION_NAMES)('configures %s from its environment', (name) => {
    const variables = lambda(name).Properties.Environment.Variables;

    expect(variables).toMatchObject({
      PUSH_MANAGER_ADDRESS: 'push-manager.internal:50053',
      POWERTOOLS_SERVICE_NAME: name,
      POWERTOOLS_METRICS_NAMESPACE: 'BizServer',
    });
  });

  it.each(FUNCTION_NAMES)('bounds the concurrency of %s', (name) => {
    const reserved = lambda(name).Properties.ReservedConcurrentExecutions;

    expect(reserved).toBeGreaterThan(0);
    expect(reserved).toBeLessThanOrEqual(50);
  });

  it('keeps every log group for a bounded time', () => {
    const groups = ofType('AWS::Logs::LogGroup');

    expect(groups).toHaveLength(FUNCTION_NAMES.length);
    for (const [, group] of groups) {
      expect(group.Properties.RetentionInDays).toBe(30);
    }
  });

  it('feeds translationResult from the queue with partial batch failures', () => {
    const [mapping] = ofType('AWS::Lambda::EventSourceMapping').map(
      ([, r]) => r.Properties,
    );
    const reserved =
      lambda('translationResult').Properties.ReservedConcurrentExecutions;

    expect(mapping.FunctionName['Fn::GetAtt'][0]).toBe(
      logicalIdOf('translationResult'),
    );
    expect(queueIdOf(mapping.EventSourceArn)).toBe('TranslationQueue');
    expect(mapping.FunctionResponseTypes).toEqual(['ReportBatchItemFailures']);
    expect(mapping.BatchSize).toBe(10);
    expect(mapping.MaximumBatchingWindowInSeconds ?? 0).toBe(0);
    expect(mapping.ScalingConfig.MaximumConcurrency).toBeGreaterThanOrEqual(2);
    // Reserved below the pollers' bound would throttle and burn receives.
    expect(reserved).toBeGreaterThanOrEqual(
      mapping.ScalingConfig.MaximumConcurrency,
    );
  });

  it('redrives translation results to a dead-letter queue after 5 receives', () => {
    const queue = resources.TranslationQueue?.Properties;
    const timeoutSeconds = lambda('translationResult').Properties.Timeout;
    const [mapping] = ofType('AWS::Lambda::EventSourceMapping').map(
      ([, r]) => r.Properties,
    );

    expect(queueIdOf(queue.RedrivePolicy.deadLetterTargetArn)).toBe(
      'TranslationDeadLetterQueue',
    );
    expect(queue.RedrivePolicy.maxReceiveCount).toBeGreaterThanOrEqual(5);
    expect(queue.VisibilityTimeout).toBeGreaterThanOrEqual(
      6 * timeoutSeconds + (mapping.MaximumBatchingWindowInSeconds ?? 0),
    );
  });

  it.each(['audioUpload', 'announcement'] as const)(
    'parks failed async invocations of %s in a queue',
    (name) => {
      const config = invokeConfig(name)?.Properties;

      expect(queueIdOf(config.DestinationConfig.OnFailure.Destination)).toMatch(
        /FailureQueue$/,
      );
      expect(config.MaximumRetryAttempts).toBe(2);
      expect(config.MaximumEventAgeInSeconds).toBeGreaterThanOrEqual(60);
      expect(config.Qualifier).toBe('$LATEST');
    },
  );

  it('invokes audioUpload for every object created in the audio bucket', () => {
    const [[, bucket]] = ofType('AWS::S3::Bucket').filter(
      ([id]) => id !== 'ServerlessDeploymentBucket',
    ) as [[string, Resource]];
    const notifications =
      bucket.Properties.NotificationConfiguration.LambdaConfigurations;

    expect(bucket.Properties.BucketName).toBe('biz-server-dev-audio');
    expect(notifications).toEqual([
      {
        Event: 's3:ObjectCreated:*',
        Function: { 'Fn::GetAtt': [logicalIdOf('audioUpload'), 'Arn'] },
      },
    ]);
  });

  it('gives every schedule a retry policy and a dead-letter queue', () => {
    const schedules = ofType('AWS::Scheduler::Schedule');

    expect(schedules.length).toBeGreaterThanOrEqual(1);
    for (const [, { Properties }] of schedules) {
      expect(Properties.Target.Arn).toEqual({
        'Fn::GetAtt': [logicalIdOf('announcement'), 'Arn'],
      });
      expect(Properties.Target.RoleArn).toEqual({
        'Fn::GetAtt': ['SchedulerInvokeRole', 'Arn'],
      });
      expect(Properties.Target.RetryPolicy.MaximumRetryAttempts).toBe(10);
      expect(
        Properties.Target.RetryPolicy.MaximumEventAgeInSeconds,
      ).toBeGreaterThanOrEqual(60);
      expect(queueIdOf(Properties.Target.DeadLetterConfig.Arn)).toBe(
        'SchedulerDeadLetterQueue',
      );
      expect(Properties.ScheduleExpressionTimezone).toBe('Europe/Berlin');
      expect(Properties.State).toBe('DISABLED');
    }
  });

  it('sends schedule inputs the announcement function accepts', () => {
    const inputs = ofType('AWS::Scheduler::Schedule').map(
      ([, r]) => r.Properties.Target.Input as string,
    );

    for (const input of inputs) {
      expect(input).toContain('"<aws.scheduler.schedule-arn>"');
      expect(input).toContain('"<aws.scheduler.scheduled-time>"');
      const filled = input
        .replace(
          '<aws.scheduler.schedule-arn>',
          'arn:aws:scheduler:eu-west-1:123456789012:schedule/default/x',
        )
        .replace('<aws.scheduler.scheduled-time>', '2026-12-03T17:00:00Z');
      const announcement = parseAnnouncement(JSON.parse(filled));
      expect(announcement.source).toBe('scheduler');
    }
  });

  it('grants S3 and SQS actions on named resources only', () => {
    const statements = [
      resources.IamRoleLambdaExecution,
      resources.SchedulerInvokeRole,
    ].flatMap((role) =>
      role?.Properties.Policies.flatMap(
        // biome-ignore lint/suspicious/noExplicitAny: IAM JSON
        (policy: any) => policy.PolicyDocument.Statement,
      ),
    );
    const scoped = statements.filter(
      // biome-ignore lint/suspicious/noExplicitAny: IAM JSON
      (statement: any) =>
        [statement.Action]
          .flat()
          .some((action: string) => /^(s3|sqs):|^\*$/.test(action)),
    );

    expect(scoped.length).toBeGreaterThanOrEqual(3);
    for (const statement of scoped) {
      const actions = [statement.Action].flat();
      expect(actions.filter((a: string) => a.endsWith('*'))).toEqual([]);
      const resourcesJson = JSON.stringify(statement.Resource);
      expect(statement.Resource).not.toBe('*');
      expect(resourcesJson).not.toMatch(/"\*"|:::\*|:\*"/);
    }
    const s3 = scoped.find((s: { Action: unknown }) =>
      JSON.stringify(s.Action).includes('s3:GetObject'),
    );
    expect(JSON.stringify(s3.Resource)).toContain(
      ':s3:::biz-server-dev-audio/*',
    );
    const list = scoped.find((s: { Action: unknown }) =>
      JSON.stringify(s.Action).includes('s3:ListBucket'),
    );
    expect(JSON.stringify(list.Resource)).toMatch(
      /:s3:::biz-server-dev-audio"/,
    );
  });

  it('lets Scheduler only invoke announcement and park what failed', () => {
    const role = resources.SchedulerInvokeRole?.Properties;
    const functionRole = resources.IamRoleLambdaExecution?.Properties;

    expect(role.AssumeRolePolicyDocument.Statement).toEqual([
      {
        Effect: 'Allow',
        Principal: { Service: 'scheduler.amazonaws.com' },
        Action: 'sts:AssumeRole',
        Condition: {
          StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
        },
      },
    ]);
    expect(
      role.Policies.flatMap(
        // biome-ignore lint/suspicious/noExplicitAny: IAM JSON
        (policy: any) => policy.PolicyDocument.Statement,
      ),
    ).toEqual([
      {
        Effect: 'Allow',
        Action: 'lambda:InvokeFunction',
        Resource: { 'Fn::GetAtt': [logicalIdOf('announcement'), 'Arn'] },
      },
      {
        Effect: 'Allow',
        Action: 'sqs:SendMessage',
        Resource: { 'Fn::GetAtt': ['SchedulerDeadLetterQueue', 'Arn'] },
      },
    ]);
    const principals = functionRole.AssumeRolePolicyDocument.Statement.map(
      (statement: { Principal: unknown }) => statement.Principal,
    );
    expect(principals).toEqual([{ Service: ['lambda.amazonaws.com'] }]);
  });

  it('creates the S3 gateway endpoint only when a stage asks for it', () => {
    const endpoint = resources.AudioS3GatewayEndpoint;

    expect(endpoint?.Condition).toBe('CreateS3GatewayEndpoint');
    expect(endpoint?.Properties.VpcEndpointType).toBe('Gateway');
    expect(conditions.CreateS3GatewayEndpoint).toEqual({
      'Fn::Equals': ['false', 'true'],
    });
  });
});
