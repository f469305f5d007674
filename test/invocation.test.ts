import { describe, expect, it } from 'vitest';
import { invocationOf, traceparentFromXRay } from '../lib/invocation.js';
import { lambdaContext } from './support/lambda-context.js';

const XRAY =
  'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1';

describe('traceparentFromXRay', () => {
  it('maps an X-Ray header to the same W3C trace', () => {
    expect(traceparentFromXRay(XRAY)).toBe(
      '00-5759e988bd862e3fe1be46a994272793-53995c3f42cd8ad8-01',
    );
  });

  it('marks an unsampled trace and ignores a header without a parent', () => {
    expect(traceparentFromXRay(XRAY.replace('Sampled=1', 'Sampled=0'))).toMatch(
      /-00$/,
    );
    expect(
      traceparentFromXRay('Root=1-5759e988-bd862e3fe1be46a994272793'),
    ).toBeUndefined();
    expect(traceparentFromXRay(undefined)).toBeUndefined();
  });
});

describe('invocationOf', () => {
  it('prefers a valid traceparent carried by the event', () => {
    const carried = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';
    const context = lambdaContext();

    const invocation = invocationOf(
      context,
      { _X_AMZN_TRACE_ID: XRAY },
      carried,
    );

    expect(invocation.traceparent).toBe(carried);
    expect(invocation.requestId).toBe(context.awsRequestId);
    expect(invocation.remainingTimeMs()).toBeGreaterThan(29_000);
  });

  it('falls back to the X-Ray header when the carried one is malformed', () => {
    const invocation = invocationOf(
      lambdaContext(),
      { _X_AMZN_TRACE_ID: XRAY },
      'not-a-traceparent',
    );

    expect(invocation.traceparent).toBe(
      '00-5759e988bd862e3fe1be46a994272793-53995c3f42cd8ad8-01',
    );
  });
});
