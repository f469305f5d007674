import { S3_CREDENTIALS, S3_REGION } from './services.mjs';

/** Memory a function has when its template says nothing, in MB. */
export const DEFAULT_MEMORY_MB = 256;

/**
 * The environment a Lambda Node.js 22 runtime gives a function, plus the
 * function's own variables. Built from scratch rather than inherited: the
 * shell's variables are not Lambda's, and some cost start time (a
 * NODE_EXTRA_CA_CERTS bundle alone adds about 100 ms to every Node start).
 */
export function lambdaEnv(
  functionName,
  taskRoot,
  variables = {},
  memoryMb = DEFAULT_MEMORY_MB,
) {
  return {
    PATH: '/usr/local/bin:/usr/bin:/bin',
    LANG: 'en_US.UTF-8',
    TZ: ':UTC',
    LAMBDA_TASK_ROOT: taskRoot,
    AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x',
    AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
    AWS_LAMBDA_FUNCTION_NAME: functionName,
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(memoryMb),
    AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${functionName}`,
    AWS_LAMBDA_LOG_STREAM_NAME: '2026/01/01/[$LATEST]bench',
    AWS_REGION: S3_REGION,
    AWS_DEFAULT_REGION: S3_REGION,
    AWS_ACCESS_KEY_ID: S3_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: S3_CREDENTIALS.secretAccessKey,
    ...variables,
  };
}

/**
 * The V8 flags the Lambda Node.js runtime starts with, sized from the
 * function's memory: a tenth of it for the young generation (half of that
 * per semi-space), the rest for the old one.
 */
export function lambdaNodeArgs(memoryMb) {
  const newSpaceMb = Math.floor(memoryMb / 10);
  return [
    '--expose-gc',
    '--max-http-header-size=81920',
    `--max-semi-space-size=${Math.floor(newSpaceMb / 2)}`,
    `--max-old-space-size=${memoryMb - newSpaceMb}`,
  ];
}
