/**
 * Who is on the other end of a connected Unix socket: SO_PEERCRED, which the
 * kernel fills in at connect() time with the peer process's pid, uid and gid
 * (Node has no API for it).
 */
import { errno, errnoName, native, SO_PEERCRED, SOL_SOCKET } from './libc.js';

export interface SocketPeer {
  pid: number;
  uid: number;
  gid: number;
}

/** The credentials of the peer of the connected Unix socket `fd`; throws when the kernel gives none. */
export function socketPeerCredentials(fd: number): SocketPeer {
  // struct ucred { pid_t pid; uid_t uid; gid_t gid; }: three 32-bit fields.
  const ucred = Buffer.alloc(12);
  const len = [ucred.length];
  if (native.getsockopt(fd, SOL_SOCKET, SO_PEERCRED, ucred, len) !== 0) {
    throw new Error(`getsockopt(SO_PEERCRED) on fd ${fd} failed: ${errnoName(errno())}`);
  }
  if (len[0] < ucred.length) throw new Error(`getsockopt(SO_PEERCRED) on fd ${fd} returned ${len[0]} bytes, not ${ucred.length}`);
  return { pid: ucred.readInt32LE(0), uid: ucred.readUInt32LE(4), gid: ucred.readUInt32LE(8) };
}
