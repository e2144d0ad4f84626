import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { Project } from '../../shared/project/load-project.js';
import { createHttpServer } from './api/http-server.js';
import type { ApiContext } from './api/routes.js';
import { attachWsGateway } from './api/ws-gateway.js';
import { systemClock, type Clock } from './clock.js';
import { ProjectHost } from './host/project-host.js';
import { UI_DIR, VERSION } from './package-paths.js';

export interface RuntimeOptions {
  node: string;
  dataDir: string;
  host: string;
  port: number;
  projects: Project[];
  clock?: Clock;
  uiDir?: string;
}

export interface Runtime {
  url: string;
  stop(reason: string): Promise<void>;
}

/** Starts a node: its projects (stores and drivers), then the HTTP + WebSocket API. */
export async function startRuntime(options: RuntimeOptions): Promise<Runtime> {
  const clock = options.clock ?? systemClock;
  const bootId = randomBytes(6).toString('hex');
  const projects = new Map<string, ProjectHost>();
  try {
    for (const project of options.projects) {
      projects.set(project.id, ProjectHost.start({ project, dataDir: options.dataDir, node: options.node, bootId, clock, version: VERSION }));
    }
  } catch (error) {
    for (const host of projects.values()) host.stop('start-up failed');
    throw error;
  }
  const ctx: ApiContext = { clock, node: options.node, version: VERSION, startedAt: clock.now(), projects };
  const server = createHttpServer(ctx, options.uiDir ?? UI_DIR);
  const gateway = attachWsGateway(server, ctx);
  try {
    await listen(server, options.port, options.host);
  } catch (error) {
    for (const host of projects.values()) host.stop('start-up failed');
    throw error;
  }
  const { port } = server.address() as AddressInfo;
  const hostPart = options.host.includes(':') ? `[${options.host}]` : options.host;
  return {
    url: `http://${hostPart}:${port}/`,
    async stop(reason: string) {
      gateway.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      for (const host of projects.values()) host.stop(reason);
    },
  };
}

function listen(server: ReturnType<typeof createHttpServer>, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      const why = error.code === 'EADDRINUSE' ? 'the port is in use (another Tandem?); pick another with --port' : error.code === 'EADDRNOTAVAIL' ? 'this machine has no such address' : error.code === 'EACCES' ? 'permission denied (ports below 1024 need privileges)' : error.message;
      reject(new ListenError(`cannot listen on ${host}:${port}: ${why}`));
    };
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve();
    });
  });
}

export class ListenError extends Error {}
