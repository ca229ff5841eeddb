/**
 * The VS Code extension: registers the `go-debug` debugger's configuration
 * provider, the adapter factory, the process picker, the inline values
 * provider and the adapter log (command "Go Debug: Show Adapter Log"). Bundled by esbuild to
 * dist/extension.cjs (CommonJS: VS Code 1.99 does not activate an ESM entry).
 */
import * as vscode from 'vscode';
import { dynamicConfigurations, GoDebugConfigurationProvider } from './configurationProvider.js';
import { adapterChoice, GoDebugAdapterDescriptorFactory } from './descriptorFactory.js';
import { AdapterLog } from './adapterLog.js';
import { goInlineValues } from './inlineValues.js';
import { pickGoProcess } from './pickProcess.js';
import { DEBUG_TYPE } from './resolveConfig.js';
import { DEBUG_TEST_COMMAND, debugTest, testLenses } from './testLenses.js';

export function activate(context: vscode.ExtensionContext): void {
  const provider = new GoDebugConfigurationProvider(() => adapterChoice().mode !== 'server');
  context.subscriptions.push(
    vscode.debug.registerDebugConfigurationProvider(DEBUG_TYPE, provider),
    vscode.debug.registerDebugConfigurationProvider(DEBUG_TYPE, dynamicConfigurations, vscode.DebugConfigurationProviderTriggerKind.Dynamic),
    vscode.debug.registerDebugAdapterDescriptorFactory(DEBUG_TYPE, new GoDebugAdapterDescriptorFactory(context.extensionPath)),
    vscode.commands.registerCommand('go-debug.pickGoProcess', pickGoProcess),
    vscode.languages.registerInlineValuesProvider({ language: 'go' }, goInlineValues),
    vscode.languages.registerCodeLensProvider({ language: 'go', pattern: '**/*_test.go' }, testLenses),
    vscode.commands.registerCommand(DEBUG_TEST_COMMAND, debugTest),
  );
  new AdapterLog(adapterChoice).register(context);
}

export function deactivate(): void {}
