/**
 * "debug test" code lenses above each `func TestXxx` and each literal
 * `t.Run("name", …)` of a `_test.go` file (testCases.ts finds them). The
 * lens starts a go-debug session in test mode on the file's package, with the
 * `-test.run` pattern that runs exactly that test or case. The setting
 * `go-debug.testCodeLenses` turns them off.
 */
import { dirname } from 'node:path';
import * as vscode from 'vscode';
import { DEBUG_TYPE } from './resolveConfig.js';
import { testCases } from './testCases.js';

export const DEBUG_TEST_COMMAND = 'go-debug.debugTest';

export const testLenses: vscode.CodeLensProvider = {
  provideCodeLenses(document): vscode.CodeLens[] {
    if (!vscode.workspace.getConfiguration('go-debug').get<boolean>('testCodeLenses', true)) return [];
    if (!document.fileName.endsWith('_test.go')) return [];
    return testCases(document.getText()).map(
      (c) =>
        new vscode.CodeLens(new vscode.Range(c.line, 0, c.line, 0), {
          title: 'debug test',
          tooltip: `Debug ${c.name} (go test -run '${c.pattern}')`,
          command: DEBUG_TEST_COMMAND,
          arguments: [document.uri, c.name, c.pattern],
        }),
    );
  },
};

/** Starts a test-mode session on the package of `file` that runs only `pattern`. */
export async function debugTest(file: vscode.Uri, name: string, pattern: string): Promise<boolean> {
  const folder = vscode.workspace.getWorkspaceFolder(file);
  return vscode.debug.startDebugging(folder, {
    type: DEBUG_TYPE,
    request: 'launch',
    name: `Debug ${name}`,
    mode: 'test',
    program: dirname(file.fsPath),
    args: ['-test.run', pattern],
  });
}
