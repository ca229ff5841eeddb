/**
 * How VS Code runs the adapter: inline in the extension host (default), as a
 * separate Node.js process over stdio, or by connecting to a running
 * `go-debug-adapter --listen HOST:PORT` or `--listen unix:PATH` (setting
 * go-debug.adapterMode, or the GO_DEBUG_ADAPTER_SERVER environment variable,
 * used by the "Extension + Server" launch configuration to debug the adapter
 * itself).
 */
import { join } from 'node:path';
import * as vscode from 'vscode';
import { GoDebugSession } from '../src/adapter/session.js';
import { isUnixAddress, parseListenTarget } from '../src/adapter/server.js';

export type AdapterMode = 'inline' | 'executable' | 'server';

export const SERVER_ENV = 'GO_DEBUG_ADAPTER_SERVER';

export interface AdapterChoice {
  mode: AdapterMode;
  /** HOST:PORT or unix:PATH for mode server. */
  address?: string;
}

export function adapterChoice(): AdapterChoice {
  const fromEnv = process.env[SERVER_ENV];
  if (fromEnv) return { mode: 'server', address: fromEnv };
  const cfg = vscode.workspace.getConfiguration('go-debug');
  const mode = cfg.get<string>('adapterMode', 'inline');
  if (mode === 'server') return { mode, address: cfg.get<string>('serverAddress', '127.0.0.1:4711') };
  return { mode: mode === 'executable' ? 'executable' : 'inline' };
}

export class GoDebugAdapterDescriptorFactory implements vscode.DebugAdapterDescriptorFactory {
  constructor(private readonly extensionPath: string) {}

  createDebugAdapterDescriptor(): vscode.ProviderResult<vscode.DebugAdapterDescriptor> {
    const choice = adapterChoice();
    switch (choice.mode) {
      case 'server': {
        const addr = parseListenTarget(choice.address ?? '');
        // A Unix socket: VS Code connects to the path (a "named pipe" in its API's words).
        if (isUnixAddress(addr)) return new vscode.DebugAdapterNamedPipeServer(addr.path);
        return new vscode.DebugAdapterServer(addr.port, addr.host);
      }
      case 'executable':
        // The extension host's own Node.js; in desktop VS Code that is Electron, hence ELECTRON_RUN_AS_NODE.
        return new vscode.DebugAdapterExecutable(process.execPath, [join(this.extensionPath, 'dist', 'adapter.cjs')], {
          env: { ELECTRON_RUN_AS_NODE: '1' },
        });
      default:
        return new vscode.DebugAdapterInlineImplementation(new GoDebugSession() as unknown as vscode.DebugAdapter);
    }
  }
}
