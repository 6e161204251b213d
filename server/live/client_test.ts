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
