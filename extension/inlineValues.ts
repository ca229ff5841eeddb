/**
 * The inline values provider for Go files: while a go-debug session is
 * stopped, VS Code asks which names to look up on the visible lines up to the
 * stopped line; it looks each up in the top frame's scopes and shows
 * `name = value` at the end of the line (setting `debug.inlineValues`).
 * Which identifiers count is goIdentifiers.ts.
 */
import * as vscode from 'vscode';
import { enclosingFuncStart, variableIdentifiers } from './goIdentifiers.js';
import { DEBUG_TYPE } from './resolveConfig.js';

export const goInlineValues: vscode.InlineValuesProvider = {
  provideInlineValues(document, viewPort, context): vscode.InlineValue[] {
    if (vscode.debug.activeDebugSession?.type !== DEBUG_TYPE) return [];
    const lines = document.getText().split(/\r?\n/);
    const stopped = context.stoppedLocation.end.line;
    const from = Math.max(viewPort.start.line, enclosingFuncStart(lines, stopped));
    const to = Math.min(viewPort.end.line, stopped);
    if (to < from) return [];
    return variableIdentifiers(lines, from, to).map(
      (id) => new vscode.InlineValueVariableLookup(new vscode.Range(id.line, id.start, id.line, id.end), id.name, true),
    );
  },
};
