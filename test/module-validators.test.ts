// Every combination of the optional modules, and every module example, checked by tools others
// wrote: the compose-spec schema and docker-compose, promtool, nginx -t, SchemaStore's Traefik v3
// schemas, LibreChat's configSchema; plus Grafana provisioning parsed and cross-checked.
import { copyFileSync, existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { parse } from "yaml";
import { COMBINATIONS, generatedFolder, label } from "./helpers/modules.js";
import { loopbackAddresses, nginxUpstreamServers } from "./helpers/netns.js";
import { EXAMPLES, ROOT } from "./helpers/paths.js";
import { spawnSync } from "node:child_process";
import { composeSchemaErrors, dockerComposeConfigErrors, librechatConfigErrors, nginxTestErrors, promtoolErrors, traefikErrors } from "./helpers/validators.js";
import { copyExample, removeDir, runCli, tempDir } from "./helpers/workspace.js";

const test = suite("optional modules: third-party validators on every combination and example");
const folders = new Map<string, string>();
const read = (dir: string, file: string) => readFileSync(path.join(dir, file), "utf8");

test.before(async () => {
  for (const combination of COMBINATIONS) folders.set(label(combination), await generatedFolder(combination));
  for (const name of ["monitoring", "security", "scaling", "all-modules"]) {
    const dir = copyExample(path.join(EXAMPLES, name));
    const run = await runCli(["generate", "--quiet"], dir);
    if (run.code !== 0) throw new Error(`${name}: ${run.stderr}`);
    folders.set(`example ${name}`, dir);
  }
  const root = tempDir("llm-root-");
  copyFileSync(path.join(ROOT, "llm.config.ts"), path.join(root, "llm.config.ts"));
  const run = await runCli(["generate", "--quiet"], root);
  if (run.code !== 0) throw new Error(`repo config: ${run.stderr}`);
  folders.set("the repo's own config", root);
});

test.after(() => {
  for (const dir of folders.values()) removeDir(dir);
});

const names = [...COMBINATIONS.map(label), "example monitoring", "example security", "example scaling", "example all-modules"];

for (const name of names) {
  test(`${name}: compose-spec schema and docker-compose config -q accept the compose file`, () => {
    const dir = folders.get(name)!;
    assert.equal(composeSchemaErrors(read(dir, "docker-compose.yml")), []);
    assert.is(dockerComposeConfigErrors(dir), null);
  });

  test(`${name}: librechat.yaml passes LibreChat's configSchema.strict()`, async () => {
    assert.equal(await librechatConfigErrors(read(folders.get(name)!, "librechat.yaml")), []);
  });

  test(`${name}: promtool, nginx -t and the Traefik schemas accept the module files present`, () => {
    const dir = folders.get(name)!;
    const monitoring = existsSync(path.join(dir, "prometheus", "prometheus.yml"));
    const security = existsSync(path.join(dir, "traefik", "traefik.yml"));
    const scaling = existsSync(path.join(dir, "nginx", "nginx.conf"));
    assert.is(monitoring, name.includes("monitoring") || name.includes("all-modules"), "prometheus.yml only with monitoring");
    assert.is(security, name.includes("security") || name.includes("all-modules"), "traefik files only with security");
    assert.is(scaling, name.includes("scaling") || name.includes("all-modules"), "nginx.conf only with scaling");
    if (monitoring) assert.is(promtoolErrors(path.join(dir, "prometheus", "prometheus.yml")), null);
    if (security) {
      assert.equal(traefikErrors("static", read(dir, "traefik/traefik.yml")), []);
      assert.equal(traefikErrors("dynamic", read(dir, "traefik/dynamic.yml")), []);
    }
    if (scaling) {
      const conf = path.join(dir, "nginx", "nginx.conf");
      const hosts = loopbackAddresses(nginxUpstreamServers(read(dir, "nginx/nginx.conf")).map((s) => s.host));
      assert.is(nginxTestErrors(conf, hosts), null);
    }
  });
}

test("the repo's own config (every module on) passes the same validators", async () => {
  const dir = folders.get("the repo's own config")!;
  assert.equal(composeSchemaErrors(read(dir, "docker-compose.yml")), []);
  assert.is(dockerComposeConfigErrors(dir), null);
  assert.is(promtoolErrors(path.join(dir, "prometheus", "prometheus.yml")), null);
  assert.equal(traefikErrors("static", read(dir, "traefik/traefik.yml")), []);
  assert.equal(traefikErrors("dynamic", read(dir, "traefik/dynamic.yml")), []);
  const hosts = loopbackAddresses(nginxUpstreamServers(read(dir, "nginx/nginx.conf")).map((s) => s.host));
  assert.is(nginxTestErrors(path.join(dir, "nginx", "nginx.conf"), hosts), null);
});

/** Every `datasource` object anywhere in a dashboard (panels and their queries). */
function datasourceRefs(node: unknown, out: unknown[] = []): unknown[] {
  if (Array.isArray(node)) node.forEach((item) => datasourceRefs(item, out));
  else if (node && typeof node === "object") {
    for (const [key, value] of Object.entries(node)) {
      if (key === "datasource") out.push(value);
      else datasourceRefs(value, out);
    }
  }
  return out;
}

for (const name of ["monitoring", "monitoring+security", "example all-modules"]) {
  test(`${name}: Grafana provisioning parses, is mounted, and dashboards use the datasource's uid`, () => {
    const dir = folders.get(name)!;
    const compose = parse(read(dir, "docker-compose.yml")) as { services: Record<string, { volumes: string[]; environment: Record<string, string> }> };
    const grafana = compose.services["grafana"]!;
    const mountOf = (source: string) => grafana.volumes.map((v) => v.split(":")).find(([from]) => from === source)?.[1];
    assert.is(mountOf("./grafana/provisioning"), "/etc/grafana/provisioning");

    const datasources = parse(read(dir, "grafana/provisioning/datasources/prometheus.yml")) as {
      apiVersion: number;
      datasources: { uid: string; type: string; url: string }[];
    };
    assert.is(datasources.apiVersion, 1);
    assert.is(datasources.datasources.length, 1);
    const [datasource] = datasources.datasources as [{ uid: string; type: string; url: string }];
    assert.is(datasource.type, "prometheus");
    assert.is(datasource.url, "http://prometheus:9090");
    assert.ok(Object.keys(compose.services).includes("prometheus"));

    const providers = parse(read(dir, "grafana/provisioning/dashboards/local-llm-stack.yml")) as {
      apiVersion: number;
      providers: { type: string; options: { path: string } }[];
    };
    assert.is(providers.apiVersion, 1);
    assert.is(providers.providers[0]!.type, "file");
    assert.is(mountOf("./grafana/dashboards"), providers.providers[0]!.options.path, "the provider reads the folder compose mounts");

    const dashboards = readdirSync(path.join(dir, "grafana", "dashboards")).filter((file) => file.endsWith(".json"));
    assert.equal(dashboards, ["llm-stack.json"]);
    for (const file of dashboards) {
      const dashboard = JSON.parse(read(dir, `grafana/dashboards/${file}`)) as { uid: string; panels: { title: string; targets: { expr: string }[] }[] };
      const refs = datasourceRefs(dashboard.panels);
      assert.ok(refs.length >= dashboard.panels.length * 2, "every panel and query names its datasource");
      for (const ref of refs) assert.equal(ref, { type: "prometheus", uid: datasource.uid });
      const queries = dashboard.panels.flatMap((panel) => panel.targets.map((target) => target.expr)).join("\n");
      for (const metric of [
        "node_cpu_seconds_total",
        "node_memory_MemAvailable_bytes",
        "container_cpu_usage_seconds_total",
        "container_memory_working_set_bytes",
        'up{job="librechat"}',
      ]) {
        assert.ok(queries.includes(metric), `the dashboard queries ${metric}`);
      }
    }
    assert.is(grafana.environment["GF_SECURITY_ADMIN_PASSWORD__FILE"], "/run/secrets/grafana-admin-password");
    assert.not.ok(
      read(dir, "docker-compose.yml").includes(readFileSync(path.join(dir, "secrets", "grafana-admin-password"), "utf8")),
      "the password stays out of compose",
    );
  });
}

test("the validators are not blind: each rejects a broken module file", () => {
  const dir = folders.get("example all-modules")!;
  // promtool resolves credentials_file relative to prometheus.yml: without the token file it fails.
  const token = path.join(dir, "secrets", "metrics-token");
  const saved = readFileSync(token);
  rmSync(token);
  try {
    assert.match(promtoolErrors(path.join(dir, "prometheus", "prometheus.yml")) ?? "", /metrics-token/);
  } finally {
    writeFileSync(token, saved, { mode: 0o600 });
  }
  assert.is(promtoolErrors(path.join(dir, "prometheus", "prometheus.yml")), null);
  // nginx -t reads every directive: a copy with an upstream server missing its `zone` (which
  // `resolve` needs) fails, as does a misspelt directive.
  const conf = read(dir, "nginx/nginx.conf");
  const broken = path.join(dir, "nginx", "broken.conf");
  try {
    writeFileSync(broken, conf.replace(/zone librechat 64k;/, ""));
    assert.match(nginxTestErrors(broken, {}) ?? "", /resolving names at run time requires upstream "librechat" .* to be in shared memory/);
    writeFileSync(broken, conf.replace("least_conn;", "least_con;"));
    assert.match(nginxTestErrors(broken, {}) ?? "", /unknown directive "least_con"/);
  } finally {
    rmSync(broken);
  }
  // Debian 12's nginx 1.22 has no `resolve`, so it could not judge these files.
  assert.match(
    spawnSync("/usr/sbin/nginx", ["-t", "-p", dir, "-c", path.join(dir, "nginx", "nginx.conf"), "-g", `pid ${dir}/nginx.pid;`], { encoding: "utf8" }).stderr,
    /invalid parameter "resolve"/,
  );
  // Traefik: a misspelt top-level key (the root closed here), a misspelt ACME key, a misspelt
  // router key and a misspelt middleware type.
  const staticText = read(dir, "traefik/traefik.yml");
  const dynamicText = read(dir, "traefik/dynamic.yml");
  assert.ok(traefikErrors("static", `${staticText}\nentrypoints: {}\n`).length > 0);
  assert.ok(traefikErrors("static", staticText.replace("caServer:", "caserver:")).length > 0);
  assert.ok(traefikErrors("dynamic", dynamicText.replace("entryPoints:", "entrypoints:")).length > 0);
  assert.ok(traefikErrors("dynamic", dynamicText.replace("rateLimit:", "rateLimt:")).length > 0);
});

test.run();
