// Who is on the other end of a TCP connection: /proc/net/tcp{,6} decoding
// (lines in the kernel's format, Documentation/networking/proc_net_tcp.rst),
// the real kernel's tables for real loopback connections, and the admission policy.
import assert from 'node:assert/strict';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { test } from 'node:test';
import { addressKey, admitPeer, parseTcpTable, tcpPeerUid, tcpPeerUidAsync } from '../../../src/adapter/peerCredentials.js';

const HEADER = '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n';

test('addressKey: IPv4, IPv6, compressed, v4-mapped and zoned forms', () => {
  assert.equal(addressKey('127.0.0.1'), '00000000000000000000ffff7f000001');
  assert.equal(addressKey('::ffff:127.0.0.1'), addressKey('127.0.0.1'));
  assert.equal(addressKey('::1'), '00000000000000000000000000000001');
  assert.equal(addressKey('::'), '0'.repeat(32));
  assert.equal(addressKey('fe80::1%lo'), 'fe800000000000000000000000000001');
  assert.equal(addressKey('2001:db8:0:0:1:0:0:1'), '20010db8000000000001000000000001');
  assert.equal(addressKey('not an address'), undefined);
});

test('parseTcpTable: addresses in host byte order, ports in hex, uid and inode', () => {
  const v4 = parseTcpTable(
    `${HEADER}   0: 0100007F:1F90 0100007F:D431 01 00000000:00000000 00:00000000 00000000  1001        0 54321 1 0000000000000000 20 4 30 10 -1\n`,
  );
  assert.deepEqual(v4, [{ local: `${addressKey('127.0.0.1')}:8080`, remote: `${addressKey('127.0.0.1')}:54321`, state: 1, uid: 1001, inode: 54321 }]);
  const v6 = parseTcpTable(
    `${HEADER}   0: 00000000000000000000000001000000:0016 0000000000000000FFFF00000100007F:0050 06 00000000:00000000 03:00000A8C 00000000     0        0 0 3 0000000000000000\n`,
  );
  assert.deepEqual(v6, [{ local: `${addressKey('::1')}:22`, remote: `${addressKey('127.0.0.1')}:80`, state: 6, uid: 0, inode: 0 }]);
});

test('tcpPeerUid ignores sockets that no process holds (TIME_WAIT, orphans: uid 0, inode 0)', () => {
  const table = parseTcpTable(`${HEADER}   0: 0100007F:D431 0100007F:1F90 06 00000000:00000000 03:00000A8C 00000000     0        0 0 3 0000000000000000\n`);
  assert.equal(tcpPeerUid({ address: '127.0.0.1', port: 54321 }, { address: '127.0.0.1', port: 8080 }, table), undefined);
});

async function listening(host: string): Promise<{ server: Server; accepted: Promise<Socket> }> {
  const server = createServer();
  const accepted = new Promise<Socket>((resolve) => server.once('connection', resolve));
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  return { server, accepted };
}

for (const [listenHost, connectHost] of [
  ['127.0.0.1', '127.0.0.1'],
  ['::1', '::1'],
  ['::', '127.0.0.1'], // a dual-stack listener: our end is ::ffff:127.0.0.1, the peer's table is /proc/net/tcp
] as const) {
  test(`tcpPeerUid and tcpPeerUidAsync find our own uid for a real connection to ${listenHost} from ${connectHost}`, async (t) => {
    let l: Awaited<ReturnType<typeof listening>>;
    try {
      l = await listening(listenHost);
    } catch (e) {
      t.skip(`cannot listen on ${listenHost}: ${(e as Error).message}`);
      return;
    }
    const port = (l.server.address() as { port: number }).port;
    const client = connect(port, connectHost);
    try {
      const ours = await l.accepted;
      const uid = tcpPeerUid({ address: ours.remoteAddress!, port: ours.remotePort! }, { address: ours.localAddress!, port: ours.localPort! });
      assert.equal(uid, process.getuid!());
      // Our own end of the connection is not the peer.
      assert.equal(tcpPeerUid({ address: ours.localAddress!, port: ours.localPort! }, { address: ours.localAddress!, port: 1 }), undefined);
      // The server's form, reading the tables in the thread pool, finds the same.
      assert.equal(
        await tcpPeerUidAsync({ address: ours.remoteAddress!, port: ours.remotePort! }, { address: ours.localAddress!, port: ours.localPort! }),
        process.getuid!(),
      );
      assert.equal(await tcpPeerUidAsync({ address: ours.localAddress!, port: ours.localPort! }, { address: ours.localAddress!, port: 1 }), undefined);
      ours.destroy();
    } finally {
      client.destroy();
      l.server.close();
    }
  });
}

test('admitPeer: our uid always, root only with allowRootPeer, unknown never', () => {
  assert.deepEqual(admitPeer(1000, { ownUid: 1000, allowRootPeer: false }), { admitted: true });
  assert.deepEqual(admitPeer(0, { ownUid: 0, allowRootPeer: false }), { admitted: true }, 'an adapter run as root admits root: its own uid');
  assert.equal(admitPeer(0, { ownUid: 1000, allowRootPeer: false }).admitted, false);
  assert.match((admitPeer(0, { ownUid: 1000, allowRootPeer: false }) as { why: string }).why, /--allow-root-peer/);
  assert.deepEqual(admitPeer(0, { ownUid: 1000, allowRootPeer: true }), { admitted: true });
  assert.equal(admitPeer(1001, { ownUid: 1000, allowRootPeer: true }).admitted, false);
  assert.equal(admitPeer(undefined, { ownUid: 1000, allowRootPeer: true }).admitted, false);
});
