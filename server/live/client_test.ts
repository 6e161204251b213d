import assert from "node:assert/strict";
import { LiveClient, TOO_SLOW } from "./client.ts";

const bytes = (n: number) => new Uint8Array(n).fill(120);

async function readAll(stream: ReadableStream<Uint8Array>): Promise<number> {
  let n = 0;
  for await (const chunk of stream) n += chunk.byteLength;
  return n;
}

Deno.test("a client reads what was sent, and a plain close ends the stream after the queue", async () => {
  const closed: LiveClient[] = [];
  const client = new LiveClient(1024, (c) => closed.push(c));
  client.send(bytes(100));
  client.send(bytes(200));
  client.close();
  assert.equal(client.closed, true);
  assert.deepEqual(closed, [client]);
  assert.equal(await readAll(client.stream), 300);
});

Deno.test("a client past its unread-bytes bound is dropped with an error, once", async () => {
  let closes = 0;
  const client = new LiveClient(1000, () => closes++);
  client.send(bytes(600));
  client.send(bytes(400)); // exactly at the bound: kept
  assert.equal(client.closed, false);
  client.send(bytes(1));
  assert.equal(client.closed, true);
  client.send(bytes(1));
  client.close();
  assert.equal(closes, 1);
  await assert.rejects(() => readAll(client.stream), new RegExp(TOO_SLOW));
});

Deno.test("a client that keeps reading is never dropped, however much is sent", async () => {
  const client = new LiveClient(1000, () => {});
  const reader = client.stream.getReader();
  let read = 0;
  for (let i = 0; i < 50; i++) {
    client.send(bytes(900));
    const { value } = await reader.read();
    read += value!.byteLength;
  }
  assert.equal(client.closed, false);
  assert.equal(read, 45_000);
});

Deno.test("the reader cancelling its stream closes the client", async () => {
  let closes = 0;
  const client = new LiveClient(1000, () => closes++);
  await client.stream.cancel();
  assert.equal(client.closed, true);
  assert.equal(closes, 1);
  client.send(bytes(10)); // no-op, no throw
});

Deno.test("behind Deno.serve, a TCP client that stops reading is dropped while one that reads gets everything", async () => {
  const clients: LiveClient[] = [];
  const dropped: LiveClient[] = [];
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, () => {
    const client = new LiveClient(64 * 1024, (c) => dropped.push(c));
    clients.push(client);
    return new Response(client.stream, { headers: { "content-type": "text/event-stream" } });
  });
  const connect = async () => {
    const conn = await Deno.connect({ hostname: "127.0.0.1", port: server.addr.port });
    await conn.write(new TextEncoder().encode("GET / HTTP/1.1\r\nHost: x\r\n\r\n"));
    return conn;
  };
  const stalled = await connect(); // never read: the kernel's buffers fill, then the hub's queue
  const reading = await connect();
  let received = 0;
  const reader = (async () => {
    const buf = new Uint8Array(64 * 1024);
    for (let n = await reading.read(buf); n !== null; n = await reading.read(buf)) received += n;
  })().catch(() => {});
  try {
    while (clients.length < 2) await new Promise((r) => setTimeout(r, 5));
    const chunk = bytes(16 * 1024);
    let sent = 0;
    // Far more than loopback socket buffers hold: the stalled client must fall behind and be dropped.
    for (let i = 0; i < 4000 && !clients[0].closed; i++) {
      for (const c of clients) c.send(chunk);
      sent += chunk.byteLength;
      await new Promise((r) => setTimeout(r, 0));
    }
    assert.equal(clients[0].closed, true, "the stalled client was dropped");
    assert.deepEqual(dropped, [clients[0]]);
    assert.equal(clients[1].closed, false);
    // Everything sent reaches the reading client (its count includes the HTTP head and chunk framing).
    const deadline = Date.now() + 10_000;
    while (received < sent && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    assert.ok(received >= sent, `the reading client got ${received} of ${sent} bytes`);
  } finally {
    for (const c of clients) c.close();
    stalled.close();
    reading.close();
    await reader;
    await server.shutdown();
  }
});
