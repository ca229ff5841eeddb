/**
 * libc through koffi: the only place (with the rest of src/engine) that touches native code.
 * Every wrapper returns plain numbers; failures become a typed PtraceError carrying errno.
 */
import koffi from 'koffi';

export class PtraceError extends Error {
  constructor(
    readonly op: string,
    readonly errno: number,
    readonly tid?: number,
  ) {
    super(`${op}${tid !== undefined ? ` (tid ${tid})` : ''} failed: ${errnoName(errno)}`);
    this.name = 'PtraceError';
  }
}

const ERRNO_NAMES: Record<number, string> = {
  1: 'EPERM (operation not permitted)',
  2: 'ENOENT (no such file or directory)',
  3: 'ESRCH (no such process or thread, or it is not stopped)',
  4: 'EINTR',
  5: 'EIO',
  10: 'ECHILD (no child to wait for)',
  11: 'EAGAIN',
  12: 'ENOMEM',
  13: 'EACCES (permission denied)',
  14: 'EFAULT (bad address)',
  16: 'EBUSY',
  22: 'EINVAL (invalid argument)',
};
export function errnoName(e: number): string {
  return ERRNO_NAMES[e] ?? `errno ${e}`;
}

const lib = koffi.load('libc.so.6');

/**
 * Loads the native module now. The bundle loads it at the first libc call (scripts/lazyKoffi.cjs),
 * ≈ 10–20 ms of the main thread: called in the client's idle time after `initialize` is answered,
 * that time is not on launch's path. Does nothing once loaded.
 */
export function loadNative(): void {
  koffi.sizeof('int');
}

const iovec = koffi.struct('gda_iovec', { base: 'void *', len: 'size_t' });
void iovec;

export const native = {
  ptrace: lib.func('long ptrace(int request, int pid, uint64_t addr, uint64_t data)'),
  ptraceBuf: lib.func('long ptrace(int request, int pid, uint64_t addr, _Inout_ void *data)'),
  waitpid: lib.func('int waitpid(int pid, _Out_ int *status, int options)'),
  kill: lib.func('int kill(int pid, int sig)'),
  tgkill: lib.func('int tgkill(int tgid, int tid, int sig)'),
  processVmReadv: lib.func(
    'long process_vm_readv(int pid, gda_iovec *local, unsigned long liovcnt, gda_iovec *remote, unsigned long riovcnt, unsigned long flags)',
  ),
  /** The remote ranges as a typed array of (base, len) pairs of uint64 (no object per range to marshal). */
  processVmReadvRanges: lib.func(
    'long process_vm_readv(int pid, gda_iovec *local, unsigned long liovcnt, void *remote, unsigned long riovcnt, unsigned long flags)',
  ),
  /** Both iovec arrays as typed arrays of (base, len) pairs. */
  processVmReadvRaw: lib.func('long process_vm_readv(int pid, void *local, unsigned long liovcnt, void *remote, unsigned long riovcnt, unsigned long flags)'),
  pipe2: lib.func('int pipe2(_Out_ int *fds, int flags)'),
  close: lib.func('int close(int fd)'),
  /** A Buffer passed as `void *` is read into in place (no copy). */
  read: lib.func('long read(int fd, void *buf, size_t count)'),
  fcntl: lib.func('int fcntl(int fd, int cmd, int arg)'),
  posixSpawn: lib.func('int posix_spawn(_Out_ int *pid, const char *path, void *fileActions, void *attr, const char **argv, const char **envp)'),
  spawnattrInit: lib.func('int posix_spawnattr_init(void *attr)'),
  spawnattrDestroy: lib.func('int posix_spawnattr_destroy(void *attr)'),
  spawnattrSetflags: lib.func('int posix_spawnattr_setflags(void *attr, short flags)'),
  spawnattrSetpgroup: lib.func('int posix_spawnattr_setpgroup(void *attr, int pgroup)'),
  spawnattrSetsigdefault: lib.func('int posix_spawnattr_setsigdefault(void *attr, void *sigset)'),
  spawnattrSetsigmask: lib.func('int posix_spawnattr_setsigmask(void *attr, void *sigset)'),
  fileActionsInit: lib.func('int posix_spawn_file_actions_init(void *fa)'),
  fileActionsDestroy: lib.func('int posix_spawn_file_actions_destroy(void *fa)'),
  fileActionsAdddup2: lib.func('int posix_spawn_file_actions_adddup2(void *fa, int fd, int newfd)'),
  fileActionsAddchdir: lib.func('int posix_spawn_file_actions_addchdir_np(void *fa, const char *path)'),
  sigfillset: lib.func('int sigfillset(void *set)'),
  sigemptyset: lib.func('int sigemptyset(void *set)'),
  getsockopt: lib.func('int getsockopt(int fd, int level, int optname, _Out_ uint8_t *optval, _Inout_ uint32_t *optlen)'),
  /** glibc's struct sigaction as raw bytes (either pointer may be null). */
  sigaction: lib.func('int sigaction(int sig, void *act, void *oldact)'),
};

/**
 * The address of a buffer's bytes, for a struct that points to it. Only for a buffer
 * larger than V8 keeps inside its heap (64 bytes): such bytes never move.
 */
export function addressOf(buf: Uint8Array): bigint {
  return koffi.address(buf) as bigint;
}

export function errno(): number {
  return koffi.errno();
}

/** Normalises a C `long` result (Number or BigInt) to a number. */
export function asNumber(v: number | bigint): number {
  return typeof v === 'bigint' ? Number(BigInt.asIntN(64, v)) : v;
}

// ptrace requests (x86-64 Linux)
export const PTRACE_CONT = 7;
export const PTRACE_SINGLESTEP = 9;
export const PTRACE_GETREGS = 12;
export const PTRACE_SETREGS = 13;
export const PTRACE_GETFPREGS = 14;
export const PTRACE_SETFPREGS = 15;
export const PTRACE_DETACH = 17;
export const PTRACE_GETEVENTMSG = 0x4201;
export const PTRACE_GETSIGINFO = 0x4202;
export const PTRACE_SEIZE = 0x4206;
export const PTRACE_INTERRUPT = 0x4207;

export const PTRACE_O_TRACECLONE = 0x08;
export const PTRACE_O_TRACEEXEC = 0x10;
export const PTRACE_O_EXITKILL = 0x100000;

export const PTRACE_EVENT_CLONE = 3;
export const PTRACE_EVENT_EXEC = 4;
export const PTRACE_EVENT_STOP = 128;

export const WNOHANG = 1;
export const __WALL = 0x40000000;

export const ESRCH = 3;
export const EINTR = 4;
export const ECHILD = 10;

export const POSIX_SPAWN_SETPGROUP = 0x02;
export const POSIX_SPAWN_SETSIGDEF = 0x04;
export const POSIX_SPAWN_SETSIGMASK = 0x08;
export const O_CLOEXEC = 0o2000000;
export const O_NONBLOCK = 0o4000;
export const F_GETFL = 3;
export const F_SETFL = 4;

/** siginfo si_code of a SIGTRAP raised by the kernel for an int3 (kill() gives SI_USER 0, tgkill() SI_TKILL -6). */
export const SI_KERNEL = 0x80;

export const SOL_SOCKET = 1;
export const SO_PEERCRED = 17;
