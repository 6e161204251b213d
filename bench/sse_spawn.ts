/**
 * Child processes of the SSE benchmark: `deno run -A` of a script with the open-files limit raised to
 * the hard limit (thousands of sockets), and its stdout read as JSON lines.
 *
 * @module
 */

/** Start `deno run -A [flags] script args` with `ulimit -n` at the hard limit; stdin and stdout piped. */
export function spawnDeno(
  script: string,
  args: string[],
  env: Record<string, string> = {},
  denoFlags: string[] = [],
): Deno.ChildProcess {
  return new Deno.Command("sh", {
    args: [
      "-c",
      'ulimit -n "$(ulimit -Hn)" 2>/dev/null; exec "$0" "$@"',
      Deno.execPath(),
      "run",
      "-A",
      ...denoFlags,
      script,
      ...args,
    ],
    env,
    stdin: "piped",
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
}

/** The JSON lines of a stream (lines not starting with `{` are skipped), one per `next()`. */
export function delimitedLines(stream: ReadableStream<Uint8Array<ArrayBuffer>>) {
  const reader = stream.pipeThrough(new TextDecoderStream()).getReader();
  let buf = "";
  return {
    // deno-lint-ignore no-explicit-any
    async next(): Promise<any> {
      for (;;) {
        const nl = buf.indexOf("\n");
        if (nl >= 0) {
          const line = buf.slice(0, nl);
          buf = buf.slice(nl + 1);
          if (line.startsWith("{")) return JSON.parse(line);
          continue;
        }
        const { value, done } = await reader.read();
        if (done) throw new Error("the benchmark's child process ended early");
        buf += value;
      }
    },
    /** Read and discard the rest, so the child never blocks on a full pipe. */
    drain(): void {
      (async () => {
        while (!(await reader.read().catch(() => ({ done: true }))).done);
      })();
    },
  };
}
