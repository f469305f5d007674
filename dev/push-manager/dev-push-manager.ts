import { LOOPBACK_HOST } from '../ports.js';
import type { StackLog } from '../terminal-log.js';
import { GrpcPushManager } from './grpc-push-manager.js';
import { Presence } from './presence.js';
import type { ActivityEvent } from './viewer-events.js';
import { ViewerServer } from './viewer-server.js';

/** Default gRPC port, Push-Manager's own. */
export const DEFAULT_PUSH_MANAGER_PORT = 50053;
/** Default port of the viewer page. */
export const DEFAULT_VIEWER_PORT = 8053;

export const PUSH_MANAGER_PORT_SETTING =
  'PUSH_MANAGER_PORT or --push-manager-port';
export const VIEWER_PORT_SETTING = 'VIEWER_PORT or --viewer-port';

export interface DevPushManagerOptions {
  /** More routes are to come: answer 503 until `viewer.markReady()`. */
  routesToCome?: boolean;
  /** 0 picks a free port. Default 50053. */
  grpcPort?: number;
  /** 0 picks a free port. Default 8053. */
  viewerPort?: number;
  log: StackLog;
}

export interface DevPushManager {
  /** `127.0.0.1:port`, what PUSH_MANAGER_ADDRESS is set to. */
  readonly address: string;
  readonly viewerUrl: string;
  readonly viewer: ViewerServer;
  stop(): Promise<void>;
}

function describe(activity: ActivityEvent): string {
  const target =
    activity.method === 'BroadcastMessage' ? 'everyone' : activity.target;
  const excluded = activity.excludedUserIds.length
    ? ` (excluding ${activity.excludedUserIds.join(', ')})`
    : '';
  const outcome = activity.success
    ? `delivered to ${activity.deliveredCount}${excluded}`
    : `not delivered: ${activity.message}`;
  return `${activity.method} ${activity.messageType} to ${target}: ${outcome}`;
}

/**
 * Push-Manager for development: the gRPC service on one port, the viewer
 * page on another; rooms and users are the viewer tabs that are open.
 */
export async function startDevPushManager(
  options: DevPushManagerOptions,
): Promise<DevPushManager> {
  const { log } = options;
  const presence = new Presence();
  const viewer = new ViewerServer(presence, log);
  const grpc = new GrpcPushManager({
    presence,
    onActivity: (activity) => {
      log.line(
        'push-manager',
        activity.success ? 'info' : 'warn',
        describe(activity),
      );
      viewer.publishActivity(activity);
    },
  });

  const viewerPort = await viewer.start(
    options.viewerPort ?? DEFAULT_VIEWER_PORT,
    VIEWER_PORT_SETTING,
  );
  let grpcPort: number;
  try {
    grpcPort = await grpc.start(
      options.grpcPort ?? DEFAULT_PUSH_MANAGER_PORT,
      PUSH_MANAGER_PORT_SETTING,
    );
  } catch (error) {
    await viewer.stop();
    throw error;
  }

  if (!options.routesToCome) viewer.markReady();
  return {
    address: `${LOOPBACK_HOST}:${grpcPort}`,
    viewerUrl: `http://${LOOPBACK_HOST}:${viewerPort}/`,
    viewer,
    stop: async () => {
      await grpc.stop();
      await viewer.stop();
    },
  };
}
