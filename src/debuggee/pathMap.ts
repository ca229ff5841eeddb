/**
 * Paths as the editor knows them ↔ paths as the binary records them.
 *
 * A binary built in another directory than the editor's checkout (CI, a
 * container, another machine) records other absolute paths. A breakpoint's
 * client path binds to the binary file with the longest common path suffix;
 * each such match teaches a prefix rewrite (binary prefix → client prefix)
 * that is then applied to every other file of that tree, so stack frames
 * report paths the editor can open. `substitutePath` rules (vscode-go
 * semantics: `from` is the editor's path, `to` the binary's) come first.
 */

export interface SubstitutePathRule {
  from: string;
  to: string;
}

export class PathMapper {
  /** binary path → client path, learned from breakpoint requests. */
  private readonly exact = new Map<string, string>();
  /** [binaryPrefix, clientPrefix], longest binary prefix first. */
  private prefixes: [string, string][] = [];

  constructor(
    private readonly rules: SubstitutePathRule[] = [],
    /** Finds the binary file for a client path (exact or longest suffix). */
    private readonly resolve: (path: string) => string | undefined = () => undefined,
  ) {}

  /** The client's path rewritten by the first substitutePath rule that applies (itself when none does). */
  mapped(clientPath: string): string {
    const r = this.rules.find((x) => isUnder(clientPath, x.from));
    return r ? r.to + clientPath.slice(r.from.length) : clientPath;
  }

  /** The binary's path for a path given by the client, or undefined if no file matches. */
  toBinary(clientPath: string): string | undefined {
    let candidate = clientPath;
    for (const r of this.rules) {
      if (isUnder(clientPath, r.from)) {
        candidate = r.to + clientPath.slice(r.from.length);
        break;
      }
    }
    const found = this.resolve(candidate) ?? (candidate !== clientPath ? this.resolve(clientPath) : undefined);
    if (found && found !== clientPath) this.learn(found, clientPath);
    return found;
  }

  /** The path to show the client for a file recorded in the binary. */
  toClient(binaryPath: string): string {
    const known = this.exact.get(binaryPath);
    if (known) return known;
    for (const r of this.rules) {
      if (isUnder(binaryPath, r.to)) return r.from + binaryPath.slice(r.to.length);
    }
    for (const [bin, client] of this.prefixes) {
      if (isUnder(binaryPath, bin)) return client + binaryPath.slice(bin.length);
    }
    return binaryPath;
  }

  private learn(binaryPath: string, clientPath: string): void {
    this.exact.set(binaryPath, clientPath);
    // Strip the common suffix: what remains are the two roots.
    const b = binaryPath.split('/');
    const c = clientPath.split('/');
    while (b.length > 1 && c.length > 1 && b[b.length - 1] === c[c.length - 1]) {
      b.pop();
      c.pop();
    }
    const bin = b.join('/');
    const client = c.join('/');
    if (bin === client || this.prefixes.some(([x]) => x === bin)) return;
    this.prefixes.push([bin, client]);
    this.prefixes.sort((x, y) => y[0].length - x[0].length);
  }
}

function isUnder(path: string, prefix: string): boolean {
  if (!prefix) return false;
  const p = prefix.endsWith('/') ? prefix.slice(0, -1) : prefix;
  return path === p || path.startsWith(`${p}/`);
}
