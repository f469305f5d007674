import { createServer, type Server } from 'node:net';

/** Every server of the stack listens here only. */
export const LOOPBACK_HOST = '127.0.0.1';

/** A port the stack needs is taken, most likely by a stack already running. */
export class PortInUseError extends Error {
  readonly port: number;

  constructor(port: number, setting: string) {
    super(`port ${port} is in use: stop the other stack or set ${setting}`);
    this.name = 'PortInUseError';
    this.port = port;
  }
}

/**
 * Listens on 127.0.0.1:`port` (0 for any free port) and resolves the port
 * bound; a taken port rejects with a PortInUseError naming `setting`.
 */
export function listenOnLoopback(
  server: Pick<Server, 'listen' | 'once' | 'off' | 'address'>,
  port: number,
  setting: string,
): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      reject(
        error.code === 'EADDRINUSE' ? new PortInUseError(port, setting) : error,
      );
    };
    server.once('error', onError);
    server.listen(port, LOOPBACK_HOST, () => {
      server.off('error', onError);
      const address = server.address();
      resolve(typeof address === 'object' && address ? address.port : port);
    });
  });
}

/** Whether something already listens on 127.0.0.1:`port`. */
export async function isPortInUse(port: number): Promise<boolean> {
  const probe = createServer();
  try {
    await listenOnLoopback(probe, port, '');
    return false;
  } catch (error) {
    return error instanceof PortInUseError;
  } finally {
    probe.close();
  }
}
