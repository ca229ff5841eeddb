/**
 * The DebugConfigurationProvider: F5 without launch.json debugs the package of
 * the open Go file; relative paths become absolute; a launch configuration is
 * checked (launchConfig.ts) before the session starts, so a mistake shows as a
 * clear message instead of a failed session; a session started from a generic
 * configuration is named after its package (sessionName.ts).
 */
import * as vscode from 'vscode';
import { validateAttachArguments, validateLaunchArguments } from '../src/adapter/launchConfig.js';
import { sessionName } from './sessionName.js';
import { DEBUG_TYPE, defaultLaunchConfig, resolveInitial, resolveSubstituted, type Config, type EditorContext } from './resolveConfig.js';

function editorContext(folder: vscode.WorkspaceFolder | undefined): EditorContext {
  const editor = vscode.window.activeTextEditor;
  const doc = editor?.document;
  const file = doc && doc.uri.scheme === 'file' ? doc.uri.fsPath : undefined;
  const f = folder ?? (doc ? vscode.workspace.getWorkspaceFolder(doc.uri) : undefined) ?? vscode.workspace.workspaceFolders?.[0];
  return { activeFile: file, activeLanguage: doc?.languageId, workspaceFolder: f?.uri.scheme === 'file' ? f.uri.fsPath : undefined };
}

export class GoDebugConfigurationProvider implements vscode.DebugConfigurationProvider {
  /** @param validate check configurations locally (not when the adapter is a server that may run elsewhere) */
  constructor(private readonly validate: () => boolean) {}

  resolveDebugConfiguration(folder: vscode.WorkspaceFolder | undefined, config: vscode.DebugConfiguration): vscode.DebugConfiguration | undefined {
    const r = resolveInitial(config as Config, editorContext(folder));
    if ('message' in r) {
      void vscode.window.showInformationMessage(r.message);
      return undefined; // abort the launch
    }
    return r.config as vscode.DebugConfiguration;
  }

  resolveDebugConfigurationWithSubstitutedVariables(
    folder: vscode.WorkspaceFolder | undefined,
    config: vscode.DebugConfiguration,
  ): vscode.DebugConfiguration | undefined {
    const ctx = editorContext(folder);
    const out = resolveSubstituted(config as Config, ctx) as vscode.DebugConfiguration;
    if (this.validate()) {
      const check = out.request === 'attach' ? validateAttachArguments(out) : validateLaunchArguments(out);
      if (!check.ok) {
        void vscode.window.showErrorMessage(`go-debug: ${check.error}`, { modal: false });
        return undefined;
      }
    }
    const name = sessionName(out, ctx.workspaceFolder);
    if (name) out.name = name;
    return out;
  }
}

/** The "Run and Debug" dropdown's entries under "Go (go-debug-adapter)..." (registered with trigger kind Dynamic). */
export const dynamicConfigurations: vscode.DebugConfigurationProvider = {
  provideDebugConfigurations(): vscode.DebugConfiguration[] {
    return [
      defaultLaunchConfig() as vscode.DebugConfiguration,
      { type: DEBUG_TYPE, name: 'Launch test', request: 'launch', mode: 'test', program: '${fileDirname}' },
      { type: DEBUG_TYPE, name: 'Attach to process', request: 'attach', mode: 'local', processId: '${command:pickGoProcess}' },
    ];
  },
};
