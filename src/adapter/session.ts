/**
 * The DAP session: one method per request, translating DAP to the target layer.
 * (Skeleton: filled in by the first-debugging-session work.)
 */
import { LoggingDebugSession } from '@vscode/debugadapter';
import type { DebugProtocol } from '@vscode/debugprotocol';

export class GoDebugSession extends LoggingDebugSession {
  constructor() {
    super();
    this.setDebuggerLinesStartAt1(true);
    this.setDebuggerColumnsStartAt1(true);
  }

  protected override initializeRequest(response: DebugProtocol.InitializeResponse): void {
    response.body = {};
    this.sendResponse(response);
  }
}
