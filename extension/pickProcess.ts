/** The `go-debug.pickGoProcess` command (`${command:pickGoProcess}` in an attach configuration). */
import { basename } from 'node:path';
import * as vscode from 'vscode';
import { listGoProcesses } from './goProcesses.js';

interface ProcessItem extends vscode.QuickPickItem {
  pid: number;
}

/** Shows running Go programs; resolves to the chosen pid as a string, or undefined (cancels the launch). */
export async function pickGoProcess(): Promise<string | undefined> {
  const procs = listGoProcesses();
  if (procs.length === 0) {
    void vscode.window.showWarningMessage('go-debug: no running Go programs found that you can attach to.');
    return undefined;
  }
  const items: ProcessItem[] = procs.map((p) => ({
    pid: p.pid,
    label: `${basename(p.exe.replace(/ \(deleted\)$/, ''))}  ${p.pid}`,
    description: [p.goVersion, p.mainPath].filter(Boolean).join('  '),
    detail: p.commandLine,
  }));
  const chosen = await vscode.window.showQuickPick(items, {
    title: 'Attach to a Go program',
    placeHolder: 'Type a name, pid or part of a command line',
    matchOnDescription: true,
    matchOnDetail: true,
  });
  return chosen ? String(chosen.pid) : undefined;
}
