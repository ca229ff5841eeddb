/**
 * The "Go Debug Adapter" output channel and the command "Go Debug: Show
 * Adapter Log". A DebugAdapterTracker on every go-debug session writes there
 * what the extension sees, whatever runs the adapter (inline, executable,
 * server): the session's start (name, adapter mode, program), one line per
 * request and its response (failures with their message), one per event, the
 * adapter's own log lines (output events from `showLog`/`trace`), errors and
 * the adapter's exit. Console and program output stay in the Debug Console.
 */
import * as vscode from 'vscode';
import type { AdapterChoice } from './descriptorFactory.js';
import { DEBUG_TYPE } from './resolveConfig.js';

export const LOG_CHANNEL = 'Go Debug Adapter';
export const SHOW_LOG_COMMAND = 'go-debug.showAdapterLog';

/** The adapter's own log lines in output events start with this (src/adapter/session.ts). */
const ADAPTER_LOG_PREFIX = '[go-debug-adapter] ';

interface DapMessage {
  type?: string;
  command?: string;
  event?: string;
  success?: boolean;
  message?: string;
  body?: { output?: string; category?: string; reason?: string; threadId?: number; exitCode?: number };
}

function stamp(): string {
  return new Date().toISOString().slice(11, 23);
}

/** One line for a DAP message, or undefined for program output (it belongs to the Debug Console). */
export function describeMessage(dir: '→' | '←', m: DapMessage): string | undefined {
  if (m.type === 'request') return `${dir} ${m.command}`;
  if (m.type === 'response') return `${dir} ${m.command} ${m.success ? 'ok' : `failed: ${m.message ?? ''}`}`;
  if (m.type === 'event') {
    if (m.event === 'output') {
      const out = m.body?.output ?? '';
      return out.startsWith(ADAPTER_LOG_PREFIX) ? out.slice(ADAPTER_LOG_PREFIX.length).replace(/\n$/, '') : undefined;
    }
    const b = m.body;
    const detail = m.event === 'stopped' ? ` ${b?.reason ?? ''} thread ${b?.threadId ?? '?'}` : m.event === 'exited' ? ` code ${b?.exitCode}` : '';
    return `${dir} event ${m.event}${detail}`;
  }
  return undefined;
}

export class AdapterLog implements vscode.DebugAdapterTrackerFactory {
  readonly channel = vscode.window.createOutputChannel(LOG_CHANNEL);

  constructor(private readonly choice: () => AdapterChoice) {}

  line(text: string): void {
    this.channel.appendLine(`${stamp()} ${text}`);
  }

  createDebugAdapterTracker(session: vscode.DebugSession): vscode.DebugAdapterTracker {
    const c = this.choice();
    const where = c.mode === 'server' ? `server at ${c.address}` : c.mode;
    const cfg = session.configuration;
    const what = cfg.request === 'attach' ? `attach to process ${cfg.processId}` : `${cfg.request} ${cfg.mode ?? 'debug'} ${cfg.program ?? ''}`;
    const tag = `[${session.name}]`;
    this.line(`${tag} session ${session.id} starts: ${what}; adapter ${where}`);
    return {
      onWillReceiveMessage: (m: DapMessage) => {
        const s = describeMessage('→', m);
        if (s) this.line(`${tag} ${s}`);
      },
      onDidSendMessage: (m: DapMessage) => {
        const s = describeMessage('←', m);
        if (s) this.line(`${tag} ${s}`);
      },
      onError: (e) => this.line(`${tag} adapter error: ${e.message}`),
      onExit: (code, signal) => this.line(`${tag} adapter exited${code !== undefined ? ` with code ${code}` : ''}${signal ? ` by ${signal}` : ''}`),
      onWillStopSession: () => this.line(`${tag} session ends`),
    };
  }

  register(context: vscode.ExtensionContext): void {
    context.subscriptions.push(
      this.channel,
      vscode.debug.registerDebugAdapterTrackerFactory(DEBUG_TYPE, this),
      vscode.commands.registerCommand(SHOW_LOG_COMMAND, () => this.channel.show(true)),
    );
  }
}
