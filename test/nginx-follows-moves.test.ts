// A recreated replica comes back on a new address (Compose gives a new container a new one).
// The generated nginx.conf, run unchanged by a current nginx behind a DNS server standing in for
// Docker's (127.0.0.11), must follow it within the resolver's `valid=` time. A control copy
// without `resolve` shows the check can fail: it keeps sending to the dead address.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { loopbackAddresses, nginxUpstreamServers, runWithHosts } from "./helpers/netns.js";
import { nginxBinary } from "./helpers/nginx-binary.js";
import { EXAMPLES, ROOT } from "./helpers/paths.js";
import { removeDir, tempDir } from "./helpers/workspace.js";

const test = suite("nginx follows a replica that moves to a new address");
const CONF = path.join(EXAMPLES, "scaling", "nginx", "nginx.conf");
const DRIVER = path.join(ROOT, "test", "fixtures", "nginx-dns-driver.mjs");
const CONTROL_PORT = 8080;
const REQUESTS = 12;

interface Reply {
  status: number;
  body: string;
}
interface Report {
  error?: string;
  before: { generated: Reply[]; control: Reply[] };
  after: { generated: Reply[]; control: Reply[] };
  queriesAfterMove: { name: string; type: number }[];
}

let report: Report;
let validSeconds = 0;

test.before(() => {
  const conf = readFileSync(CONF, "utf8");
  validSeconds = Number(/resolver 127\.0\.0\.11 valid=(\d+)s ipv6=off;/.exec(conf)?.[1]);
  const servers = nginxUpstreamServers(conf);
  const hosts = loopbackAddresses(servers.map((s) => s.host));
  const prefix = tempDir("llm-nginx-dns-");
  try {
    mkdirSync(path.join(prefix, "logs"));
    const control = path.join(prefix, "control.conf");
    // The same file as nginx 1.26 and older required it: names resolved once, at start.
    let shifted = 0;
    writeFileSync(
      control,
      conf
        .replace(/ resolve /g, " ")
        .replace(/^(\s*)resolver .*$/m, "")
        .replace(/listen (\d+);/g, (_, port: string) => `listen ${port === "80" ? CONTROL_PORT : 18000 + ++shifted};`),
    );
    const librechat = servers.filter((s) => s.port === 3080);
    const input = {
      nginx: nginxBinary(),
      conf: CONF,
      controlConf: control,
      controlPort: CONTROL_PORT,
      prefix,
      healthPath: /location = (\S+) \{/.exec(conf)?.[1],
      replicas: librechat.map((s) => ({ name: s.host, address: hosts[s.host], port: s.port })),
      move: { name: "librechat-2", to: "127.0.2.2" },
      waitMs: (validSeconds + 1) * 1000,
      requests: REQUESTS,
    };
    const run = runWithHosts(hosts, [process.execPath, DRIVER, JSON.stringify(input)], { timeoutMs: 90_000 });
    if (run.status !== 0) throw new Error(`driver exited ${run.status} (${run.signal ?? ""}): ${run.stderr}`);
    report = JSON.parse(run.stdout) as Report;
    if (report.error) throw new Error(report.error);
  } finally {
    removeDir(prefix);
  }
});

const served = (replies: Reply[]) => [...new Set(replies.filter((r) => r.status === 200).map((r) => r.body))].sort();

test("the generated file asks Docker's DNS again every 10 s, without IPv6 answers", () => {
  assert.is(validSeconds, 10);
  assert.ok(
    report.queriesAfterMove.some((q) => q.name === "librechat-2" && q.type === 1),
    "nginx asked for librechat-2 again after the move",
  );
  assert.not.ok(
    report.queriesAfterMove.some((q) => q.type === 28),
    "no AAAA queries (ipv6=off)",
  );
});

test("before the move, both configurations reach every replica", () => {
  assert.equal(served(report.before.generated), ["librechat-1", "librechat-2", "librechat-3"]);
  assert.equal(served(report.before.control), ["librechat-1", "librechat-2", "librechat-3"]);
});

test("after the move, the generated file sends requests to the replica's new address", () => {
  assert.equal(
    report.after.generated.map((r) => r.status),
    Array(REQUESTS).fill(200),
  );
  assert.equal(served(report.after.generated), ["librechat-1", "librechat-2", "librechat-3"]);
});

test("the check is not blind: names resolved once at start lose the moved replica", () => {
  assert.equal(served(report.after.control), ["librechat-1", "librechat-3"]);
});

test.run();
