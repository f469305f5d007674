import { readFileSync } from 'node:fs';
import {
  booleanFlag,
  type Env,
  optionalString,
  positiveInteger,
  requiredString,
} from './env.js';
import { ConfigError } from './errors.js';

export const DEFAULT_TIMEOUT_MS = 5000;
export const DEFAULT_MAX_ATTEMPTS = 3;
export const DEFAULT_RETRY_BASE_MS = 100;
export const DEFAULT_RETRY_MAX_MS = 2000;
export const DEFAULT_DEADLINE_MARGIN_MS = 500;
// An AWS Network Load Balancer forgets an idle TCP flow after 350 s; a channel
// idle for longer is rebuilt rather than trusted.
export const DEFAULT_CHANNEL_MAX_IDLE_MS = 300_000;

export interface TlsConfig {
  /** PEM of the CA that signed Push-Manager's certificate; system CAs if unset. */
  readonly rootCert?: Buffer;
  /** Client certificate and key, for mutual TLS. */
  readonly certChain?: Buffer;
  readonly privateKey?: Buffer;
}

export interface PushConfig {
  /** `host:port` or any gRPC target such as `dns:///host:port`. */
  readonly address: string;
  /** Plaintext when undefined, as Push-Manager runs inside the VPC by default. */
  readonly tls?: TlsConfig;
  /** Upper bound of one call's deadline. Default 5000. */
  readonly timeoutMs: number;
  /** Calls per push, the first included. Default 3. */
  readonly maxAttempts: number;
  /** First back-off step; each retry doubles it, full jitter. Default 100. */
  readonly retryBaseMs: number;
  /** Largest back-off step. Default 2000. */
  readonly retryMaxMs: number;
  /** Time kept back from the invocation's end for reporting. Default 500. */
  readonly deadlineMarginMs: number;
  /** A channel idle longer than this is replaced before use. Default 300000. */
  readonly channelMaxIdleMs: number;
}

/** Reads a PEM from the variable: inline PEM text, or a path to a file. */
function pem(env: Env, name: string): Buffer | undefined {
  const value = optionalString(env, name);
  if (value === undefined) return undefined;
  if (value.startsWith('-----BEGIN')) return Buffer.from(value);

  try {
    return readFileSync(value);
  } catch (error) {
    throw new ConfigError(
      name,
      `names no readable PEM file (${value}): ${error}`,
    );
  }
}

function readTls(env: Env): TlsConfig | undefined {
  if (!booleanFlag(env, 'PUSH_MANAGER_TLS', false)) return undefined;

  const tls = {
    rootCert: pem(env, 'PUSH_MANAGER_TLS_CA'),
    certChain: pem(env, 'PUSH_MANAGER_TLS_CERT'),
    privateKey: pem(env, 'PUSH_MANAGER_TLS_KEY'),
  };
  if (Boolean(tls.certChain) !== Boolean(tls.privateKey)) {
    throw new ConfigError(
      'PUSH_MANAGER_TLS_CERT',
      'and PUSH_MANAGER_TLS_KEY go together for mutual TLS: set both or neither',
    );
  }
  return tls;
}

/** Reads and checks the Push-Manager client's settings once, at start. */
export function loadPushConfig(env: Env): PushConfig {
  return {
    address: requiredString(env, 'PUSH_MANAGER_ADDRESS'),
    tls: readTls(env),
    timeoutMs: positiveInteger(env, 'PUSH_TIMEOUT_MS', DEFAULT_TIMEOUT_MS),
    maxAttempts: positiveInteger(
      env,
      'PUSH_MAX_ATTEMPTS',
      DEFAULT_MAX_ATTEMPTS,
    ),
    retryBaseMs: positiveInteger(
      env,
      'PUSH_RETRY_BASE_MS',
      DEFAULT_RETRY_BASE_MS,
    ),
    retryMaxMs: positiveInteger(env, 'PUSH_RETRY_MAX_MS', DEFAULT_RETRY_MAX_MS),
    deadlineMarginMs: positiveInteger(
      env,
      'PUSH_DEADLINE_MARGIN_MS',
      DEFAULT_DEADLINE_MARGIN_MS,
    ),
    channelMaxIdleMs: positiveInteger(
      env,
      'PUSH_CHANNEL_MAX_IDLE_MS',
      DEFAULT_CHANNEL_MAX_IDLE_MS,
    ),
  };
}
