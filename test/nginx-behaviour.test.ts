// A real nginx (a current one: test/helpers/nginx-binary.ts) on loopback with the generated
// nginx.conf, unchanged, in front of small HTTP servers standing in for the LibreChat replicas.
// Compose service names resolve to loopback addresses through a DNS server where Docker's would be
// (127.0.0.11, test/fixtures/dns-server.mjs) inside a private network (test/helpers/netns.ts).
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { constants as zlibConstants, gunzipSync } from "node:zlib";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { nginxBinary } from "./helpers/nginx-binary.js";
import { EXAMPLES, ROOT } from "./helpers/paths.js";
import { loopbackAddresses, nginxUpstreamServers, runWithHosts } from "./helpers/netns.js";
import { removeDir, tempDir } from "./helpers/workspace.js";

const test = suite("nginx load balancer: spreading, failover, unbuffered server-sent events");
const CONF = path.join(EXAMPLES, "scaling", "nginx", "nginx.conf");
const DRIVER = path.join(ROOT, "test", "fixtures", "nginx-driver.mjs");
const REQUESTS = 30;

interface Reply {
  status: number;
  body: string;
}
interface Stream {
  status: number;
  contentType?: string;
  contentEncoding: string | null;
  error?: string;
  chunks: { at: number; base64: string }[];
  body: string;
}
interface Report {
  error?: string;
  spread: Reply[];
  stopped: string;
  failover: Reply[];
  nginxErrors: string;
  sse: Stream;
  sseGapMs: number;
  control?: Stream;
}

let report: Report;
let replicas: string[] = [];

function parseEvents(text: string): { n: number; sentAt: number }[] {
  return text
    .split("\n\n")
    .filter((part) => part.startsWith("data: "))
    .map((part) => JSON.parse(part.slice("data: ".length)) as { n: number; sentAt: number });
}

/** Each server-sent event with the moment it became readable by the client: the arrival of the
 * chunk that completed it (for a gzipped stream, of the chunk after which it could be inflated). */
function events(stream: Stream): { n: number; sentAt: number; arrivedAt: number }[] {
  const out: { n: number; sentAt: number; arrivedAt: number }[] = [];
  const received: Buffer[] = [];
  for (const chunk of stream.chunks) {
    received.push(Buffer.from(chunk.base64, "base64"));
    const bytes = Buffer.concat(received);
    const text = stream.contentEncoding === "gzip" ? gunzipSync(bytes, { finishFlush: zlibConstants.Z_SYNC_FLUSH }).toString("utf8") : bytes.toString("utf8");
    for (const event of parseEvents(text).slice(out.length)) out.push({ ...event, arrivedAt: chunk.at });
  }
  return out;
}

/** The latest an event became readable after it was sent, in milliseconds. */
const worstLatency = (stream: Stream) => Math.max(...events(stream).map((event) => event.arrivedAt - event.sentAt));

test.before(() => {
  const conf = readFileSync(CONF, "utf8");
  const upstream = nginxUpstreamServers(conf).filter((server) => server.port === 3080);
  replicas = upstream.map((server) => server.host);
  const hosts = loopbackAddresses(nginxUpstreamServers(conf).map((server) => server.host));
  const prefix = tempDir("llm-nginx-");
  try {
    mkdirSync(path.join(prefix, "logs"));
    // Negative control only: a copy with proxy_buffering on and gzip, which then compresses the
    // stream until its buffer fills or the reply ends, shows the timing check can fail. (With
    // proxy_buffering off, as generated, nginx flushes even a gzipped stream chunk by chunk.)
    const control = path.join(prefix, "held-back.conf");
    writeFileSync(control, conf.replace(/proxy_buffering off;/g, "proxy_buffering on;\n            gzip on; gzip_types text/event-stream; gzip_min_length 1;"));
    const input = {
      nginx: nginxBinary(),
      conf: CONF,
      controlConf: control,
      prefix,
      healthPath: /location = (\S+) \{/.exec(conf)?.[1],
      replicas: upstream.map((server) => ({ name: server.host, address: hosts[server.host], port: server.port })),
      requests: REQUESTS,
      stop: 1,
    };
    const run = runWithHosts(hosts, [process.execPath, DRIVER, JSON.stringify(input)], { timeoutMs: 60_000 });
    if (run.status !== 0) throw new Error(`driver exited ${run.status} (${run.signal ?? ""}): ${run.stderr}`);
    report = JSON.parse(run.stdout) as Report;
    if (report.error) throw new Error(report.error);
  } finally {
    removeDir(prefix);
  }
});

test("the scaling example balances three LibreChat replicas by their compose names", () => {
  assert.equal(replicas, ["librechat-1", "librechat-2", "librechat-3"]);
});

test("requests spread over every replica", () => {
  assert.equal(
    report.spread.map((r) => r.status),
    Array(REQUESTS).fill(200),
  );
  const counts = new Map<string, number>();
  for (const reply of report.spread) counts.set(reply.body, (counts.get(reply.body) ?? 0) + 1);
  assert.equal([...counts.keys()].sort(), replicas);
  // Sequential requests leave every replica idle, so least_conn takes them in turn.
  for (const [replica, count] of counts) assert.ok(count >= REQUESTS / replicas.length - 1, `${replica} served ${count} of ${REQUESTS}`);
});

test("a stopped replica is skipped without a single failed request", () => {
  assert.is(report.stopped, "librechat-2");
  assert.equal(
    report.failover.map((r) => r.status),
    Array(REQUESTS).fill(200),
  );
  const served = new Set(report.failover.map((r) => r.body));
  assert.equal([...served].sort(), ["librechat-1", "librechat-3"]);
  assert.match(report.nginxErrors, /connect\(\) failed \(111: Connection refused\) while connecting to upstream/);
});

test("server-sent events reach the client chunk by chunk, unbuffered", () => {
  assert.is(report.sse.status, 200, report.sse.error);
  assert.is(report.sse.contentType, "text/event-stream");
  assert.is(report.sse.contentEncoding, null, "the stream is not compressed, which would hold chunks back");
  const received = events(report.sse);
  assert.equal(
    received.map((e) => e.n),
    [0, 1, 2, 3, 4],
  );
  for (const event of received) {
    const latency = event.arrivedAt - event.sentAt;
    assert.ok(latency < 100, `event ${event.n} arrived ${latency.toFixed(1)} ms after it was sent`);
  }
  const gaps = received.slice(1).map((event, i) => event.arrivedAt - received[i]!.arrivedAt);
  for (const gap of gaps) assert.ok(gap > report.sseGapMs * 0.6, `events arrived ${gap.toFixed(1)} ms apart`);
});

test("the timing check is not blind: a proxy that holds the stream back is caught", () => {
  const control = report.control!;
  assert.is(control.status, 200, control.error);
  assert.is(control.contentEncoding, "gzip");
  assert.equal(
    parseEvents(control.body).map((e) => e.n),
    [0, 1, 2, 3, 4],
  );
  assert.equal(
    events(control).map((e) => e.n),
    [0, 1, 2, 3, 4],
  );
  assert.ok(worstLatency(control) >= 100, `the held-back stream's worst event latency was only ${worstLatency(control).toFixed(1)} ms`);
});

test.run();
