import { describe, expect, it } from 'vitest';
import { ConfigError } from '../lib/errors.js';
import { loadPushConfig } from '../lib/push-config.js';

describe('loadPushConfig', () => {
  it('gives the documented defaults', () => {
    const config = loadPushConfig({
      PUSH_MANAGER_ADDRESS: 'pm.internal:50053',
    });

    expect(config).toEqual({
      address: 'pm.internal:50053',
      tls: undefined,
      timeoutMs: 5000,
      maxAttempts: 3,
      retryBaseMs: 100,
      retryMaxMs: 2000,
      deadlineMarginMs: 500,
      channelMaxIdleMs: 300_000,
    });
  });

  it('fails at start when the address is missing', () => {
    expect(() => loadPushConfig({})).toThrow(
      new ConfigError('PUSH_MANAGER_ADDRESS', 'is required'),
    );
  });

  it('names the variable and the value it cannot use', () => {
    expect(() =>
      loadPushConfig({ PUSH_MANAGER_ADDRESS: 'x:1', PUSH_TIMEOUT_MS: '5s' }),
    ).toThrow('PUSH_TIMEOUT_MS must be a positive integer, got "5s"');
    expect(() =>
      loadPushConfig({ PUSH_MANAGER_ADDRESS: 'x:1', PUSH_MANAGER_TLS: 'yes' }),
    ).toThrow('PUSH_MANAGER_TLS must be true or false, got "yes"');
  });

  it('takes inline PEM for TLS and insists on cert and key together', () => {
    const pem = '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----';
    const base = { PUSH_MANAGER_ADDRESS: 'x:1', PUSH_MANAGER_TLS: 'true' };

    const config = loadPushConfig({ ...base, PUSH_MANAGER_TLS_CA: pem });

    expect(config.tls?.rootCert?.toString()).toBe(pem);
    expect(() =>
      loadPushConfig({ ...base, PUSH_MANAGER_TLS_CERT: pem }),
    ).toThrow(/set both or neither/);
  });
});
