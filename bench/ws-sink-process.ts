/**
 * The raw peer of the replication benchmark, in its own process: a plain `ws` server that parses
 * every frame as JSON (as the peer link does before it checks the schema) and acknowledges it with
 * the last seq it carried. It prints its port on standard output.
 */
import { WebSocketServer } from 'ws';

const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, maxPayload: 64 * 1024 * 1024, perMessageDeflate: false });
wss.on('listening', () => {
  const address = wss.address();
  process.stdout.write(`${typeof address === 'object' && address !== null ? address.port : address}\n`);
});
wss.on('connection', (ws) => {
  ws.on('message', (data) => {
    const envelope = JSON.parse(String(data)) as { message: { ops: Array<{ seq: number }> } };
    ws.send(JSON.stringify({ type: 'ack', seq: envelope.message.ops.at(-1)?.seq ?? 0 }));
  });
});
process.on('SIGTERM', () => wss.close(() => process.exit(0)));
