import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import {
  createServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import { join } from 'node:path';
import { WebSocket, WebSocketServer } from 'ws';
import { listenOnLoopback } from '../ports.js';
import { repoRoot } from '../repo-root.js';
import type { StackLog } from '../terminal-log.js';
import type { Presence } from './presence.js';
import type { ActivityEvent } from './viewer-events.js';

const MAX_BODY_BYTES = 1024 * 1024;
// How many past Push-Manager calls a tab that joins late is shown.
const ACTIVITY_HISTORY_LENGTH = 50;
const ID_PATTERN = /^[A-Za-z0-9._:@-]{1,64}$/;

const STATIC_FILES: Record<string, string> = {
  '/': 'index.html',
  '/index.html': 'index.html',
  '/viewer.css': 'viewer.css',
  '/viewer.js': 'viewer.js',
};
const CONTENT_TYPES: Record<string, string> = {
  html: 'text/html; charset=utf-8',
  css: 'text/css; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
};

/** What a route answers: a status and a JSON body. */
export interface RouteReply {
  status: number;
  body: unknown;
}

/** Handles one HTTP request to the stack's own endpoints. */
export type RouteHandler = (request: {
  url: URL;
  body: Buffer;
}) => Promise<RouteReply> | RouteReply;

/** Refused input, answered with 400 and the message. */
export class BadRequestError extends Error {}

async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).byteLength;
    if (size > MAX_BODY_BYTES) {
      throw new BadRequestError(`body over ${MAX_BODY_BYTES} bytes`);
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

function sendJson(response: ServerResponse, status: number, body: unknown) {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(`${JSON.stringify(body, null, 2)}\n`);
}

/**
 * The viewer's HTTP server: the page, one WebSocket per tab (`/ws?userId=
 * &roomId=`), the Push-Manager activity, and the routes the stack adds.
 */
export class ViewerServer {
  readonly #presence: Presence;
  readonly #log: StackLog;
  readonly #routes = new Map<string, RouteHandler>();
  readonly #activity: ActivityEvent[] = [];
  readonly #sockets = new WebSocketServer({ noServer: true });
  readonly #viewerFolder = join(repoRoot(), 'dev', 'viewer');
  #server: Server | undefined;
  #ready = false;

  constructor(presence: Presence, log: StackLog) {
    this.#presence = presence;
    this.#log = log;
    this.route('GET', '/api/state', () => ({
      status: 200,
      body: {
        presence: this.#presence.summary(),
        activity: this.#activity,
      },
    }));
  }

  /** Adds an endpoint, such as `POST /translations`. */
  route(method: string, path: string, handler: RouteHandler): void {
    this.#routes.set(`${method} ${path}`, handler);
  }

  /**
   * Every route is added: from now on an unknown path is a 404. Before,
   * the answer is 503, as the stack is still starting.
   */
  markReady(): void {
    this.#ready = true;
  }

  /** Tells every tab what Push-Manager did, and keeps it for late joiners. */
  publishActivity(activity: ActivityEvent): void {
    this.#activity.push(activity);
    if (this.#activity.length > ACTIVITY_HISTORY_LENGTH) this.#activity.shift();
    this.sendToAll(activity);
  }

  async start(port: number, setting: string): Promise<number> {
    const server = createServer((request, response) => {
      this.#handle(request, response).catch((error: Error) => {
        this.#log.error('viewer', `${request.url}: ${error.message}`);
        if (!response.headersSent) {
          sendJson(response, 500, { error: error.message });
        }
      });
    });
    server.on('upgrade', (request, socket, head) => {
      const url = new URL(request.url ?? '/', 'http://viewer');
      if (url.pathname !== '/ws') {
        socket.destroy();
        return;
      }
      this.#sockets.handleUpgrade(request, socket, head, (ws) =>
        this.#join(ws, url),
      );
    });

    const bound = await listenOnLoopback(server, port, setting);
    this.#server = server;
    return bound;
  }

  async stop(): Promise<void> {
    for (const ws of this.#sockets.clients) ws.close(1001, 'stack stopping');
    this.#sockets.close();
    const server = this.#server;
    this.#server = undefined;
    if (!server) return;

    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  async #handle(request: IncomingMessage, response: ServerResponse) {
    const url = new URL(request.url ?? '/', 'http://viewer');
    const file = STATIC_FILES[url.pathname];
    if (request.method === 'GET' && file) {
      const extension = file.split('.').pop() ?? '';
      response.writeHead(200, {
        'content-type': CONTENT_TYPES[extension] ?? 'text/plain',
        'cache-control': 'no-store',
      });
      response.end(await readFile(join(this.#viewerFolder, file)));
      return;
    }

    const handler = this.#routes.get(`${request.method} ${url.pathname}`);
    if (!handler && !this.#ready) {
      sendJson(response, 503, {
        error: 'the stack is still starting: try again in a few seconds',
      });
      return;
    }
    if (!handler) {
      sendJson(response, 404, {
        error: `no ${request.method} ${url.pathname} here`,
        routes: [...this.#routes.keys()],
      });
      return;
    }

    try {
      const reply = await handler({ url, body: await readBody(request) });
      sendJson(response, reply.status, reply.body);
    } catch (error) {
      if (!(error instanceof BadRequestError)) throw error;
      sendJson(response, 400, { error: error.message });
    }
  }

  #join(ws: WebSocket, url: URL): void {
    const userId = url.searchParams.get('userId') ?? '';
    const roomId = url.searchParams.get('roomId') ?? '';
    if (!ID_PATTERN.test(userId) || !ID_PATTERN.test(roomId)) {
      ws.close(4400, 'userId and roomId: 1-64 letters, digits, . _ : @ -');
      return;
    }

    const connectionId = randomUUID();
    const send = (event: object) => {
      if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify(event));
    };
    this.#presence.join({ connectionId, userId, roomId, send });
    send({ kind: 'welcome', connectionId, userId, roomId });
    for (const activity of this.#activity) send(activity);
    this.#publishPresence();
    this.#log.info('viewer', `${userId} joined ${roomId}`);

    ws.on('close', () => {
      this.#presence.leave(connectionId);
      this.#publishPresence();
      this.#log.info('viewer', `${userId} left ${roomId}`);
    });
  }

  #publishPresence(): void {
    this.sendToAll({ kind: 'presence', ...this.#presence.summary() });
  }

  /** Sends one event to every open tab. */
  sendToAll(event: object): void {
    const text = JSON.stringify(event);
    for (const ws of this.#sockets.clients) {
      if (ws.readyState === WebSocket.OPEN) ws.send(text);
    }
  }
}
