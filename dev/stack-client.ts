import { portSetting, UsageError } from './cli-support.js';
import { LOOPBACK_HOST } from './ports.js';
import { DEFAULT_VIEWER_PORT } from './push-manager/dev-push-manager.js';

/** The running stack's endpoints, on VIEWER_PORT or `--viewer-port`. */
export function stackUrl(viewerPortFlag: string | undefined): URL {
  const port = portSetting(viewerPortFlag, 'VIEWER_PORT', DEFAULT_VIEWER_PORT);
  return new URL(`http://${LOOPBACK_HOST}:${port}/`);
}

/**
 * Sends one request to the stack and returns its JSON answer; a stack that
 * is not running, or an answer other than 2xx, is a one-line error.
 */
export async function callStack(
  base: URL,
  method: 'GET' | 'POST',
  path: string,
  body?: string,
): Promise<unknown> {
  const url = new URL(path, base);
  let response: Response;
  try {
    response = await fetch(url, { method, body });
  } catch {
    throw new UsageError(
      `nothing answers on ${base.origin}: start the stack with \`npm start\` ` +
        'or pass the port it printed with --viewer-port',
    );
  }

  const text = await response.text();
  if (!response.ok) {
    throw new UsageError(
      `${method} ${url.pathname}: ${response.status} ${text}`,
    );
  }
  return text ? JSON.parse(text) : undefined;
}
