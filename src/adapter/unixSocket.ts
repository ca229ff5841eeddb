/**
 * The Unix-socket form of the server (`--listen unix:PATH`): a socket only its
 * user can reach. Connecting needs search permission on every directory of
 * the path and write permission on the socket, so the socket goes in a
 * directory of the user's with no access for group or others (created with
 * mode 0700 when it does not exist; refused when it exists and is not
 * private), is created with mode 0600, and is never a path someone else made:
 * an existing file at PATH is refused, not removed or reused. It is removed
 * when the server closes or the process exits.
 */
import { chmodSync, existsSync, lstatSync, mkdirSync, realpathSync, type Stats, unlinkSync } from 'node:fs';
import type { Server } from 'node:net';
import { basename, dirname, join } from 'node:path';

/** sun_path holds 108 bytes with the terminating NUL. */
const MAX_SOCKET_PATH = 107;

const S_ISVTX = 0o1000;

function modeText(st: Stats): string {
  return `0${(st.mode & 0o7777).toString(8)}`;
}

function kindOf(st: Stats): string {
  if (st.isSocket()) return 'socket';
  if (st.isSymbolicLink()) return 'symbolic link';
  if (st.isDirectory()) return 'directory';
  return 'file';
}

/**
 * Checks (and creates when missing) the directory of `path`, and that nothing
 * is at `path` yet. Returns the path to bind: the same file name in the
 * directory's real path, so no symbolic link is followed between the check
 * and the bind. Throws an Error whose message says what to do.
 */
export function preparePrivateSocketPath(path: string): string {
  const uid = process.getuid?.() ?? -1;
  if (Buffer.byteLength(path) > MAX_SOCKET_PATH) {
    throw new Error(`the socket path ${path} is longer than ${MAX_SOCKET_PATH} bytes, the limit of a Unix socket address: choose a shorter one`);
  }
  const dir = dirname(path);
  if (!existsSync(dir)) mkdirSync(dir, { recursive: true, mode: 0o700 });
  const real = realpathSync(dir);
  const st = lstatSync(real);
  if (!st.isDirectory() || st.uid !== uid || (st.mode & 0o077) !== 0) {
    throw new Error(
      `${dir} is not a private directory (owner uid ${st.uid}, mode ${modeText(st)}): other users could reach or replace the socket there. ` +
        'Put the socket in a directory only you can enter (yours, mode 0700), such as $XDG_RUNTIME_DIR/go-debug-adapter/; ' +
        'a directory that does not exist yet is created with mode 0700',
    );
  }
  // An ancestor that another user can write to (without the sticky bit) lets them rename our directory away.
  for (let a = dirname(real); ; a = dirname(a)) {
    const ast = lstatSync(a);
    const writableByOthers = (ast.mode & 0o022) !== 0 && (ast.mode & S_ISVTX) === 0;
    if ((ast.uid !== uid && ast.uid !== 0) || writableByOthers) {
      throw new Error(
        `${a}, above the socket's directory, belongs to uid ${ast.uid} with mode ${modeText(ast)}: another user could replace the directory. Choose a path under directories only you and root can change`,
      );
    }
    if (a === dirname(a)) break;
  }
  const target = join(real, basename(path));
  let existing: Stats | undefined;
  try {
    existing = lstatSync(target);
  } catch {
    // nothing there: good
  }
  if (existing) {
    throw new Error(
      `${path} already exists (a ${kindOf(existing)} owned by uid ${existing.uid}): the adapter listens only on a socket it creates itself. ` +
        'Remove it if no adapter uses it, or choose another path',
    );
  }
  return target;
}

export interface PrivateSocket {
  /** Removes the socket file if it is still the one we created. */
  remove(): void;
}

/**
 * Listens on `path` with mode 0600 from the moment the socket exists, after
 * preparePrivateSocketPath. Resolves once listening; the socket is removed on
 * `remove()`, when the server closes, and when the process exits.
 */
export function listenOnPrivateSocket(server: Server, path: string): Promise<PrivateSocket> {
  const target = preparePrivateSocketPath(path);
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    // bind() creates the socket file with mode 0777 & ~umask, synchronously inside listen().
    const umask = process.umask(0o177);
    try {
      server.listen(target);
    } finally {
      process.umask(umask);
    }
    server.once('listening', () => {
      server.off('error', reject);
      let created: Stats;
      try {
        chmodSync(target, 0o600);
        created = lstatSync(target);
      } catch (e) {
        server.close();
        reject(e);
        return;
      }
      const remove = () => {
        process.off('exit', remove);
        try {
          const now = lstatSync(target);
          if (now.ino === created.ino && now.dev === created.dev) unlinkSync(target);
        } catch {
          // already gone (libuv unlinks the path when the server closes)
        }
      };
      process.on('exit', remove);
      server.once('close', remove);
      resolve({ remove });
    });
  });
}
