/**
 * One real service per test run: `JOBLINE_URL` when set, else the built jar (job-api/target/job-api-*-exec.jar)
 * started on a free port with a fresh data folder and its embedded broker on any free port, stopped after the run.
 * Without a jar the service's tests are skipped, unless JOBLINE_REQUIRE_SERVICE is set (the Maven build sets it).
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, openSync, readdirSync, readFileSync, rmSync, closeSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { TestProject } from "vitest/node";

const REPO = resolve(import.meta.dirname, "../../../..");
const READY_DEADLINE_MS = 90_000;

declare module "vitest" {
  export interface ProvidedContext {
    serviceUrl: string;
  }
}

let service: ChildProcess | undefined;
let dataDir: string | undefined;

export async function setup(project: TestProject): Promise<void> {
  const given = process.env.JOBLINE_URL;
  if (given) {
    project.provide("serviceUrl", given.replace(/\/+$/, ""));
    return;
  }
  const jar = findJar();
  if (!jar) {
    if (process.env.JOBLINE_REQUIRE_SERVICE) {
      throw new Error("No service jar in job-api/target: the build runs these tests after packaging it");
    }
    console.warn("No service jar (job-api/target/job-api-*-exec.jar) and no JOBLINE_URL: the service's tests skip. "
      + "Build it with ./mvnw -q package -pl job-api -am -DskipTests");
    project.provide("serviceUrl", "");
    return;
  }
  dataDir = mkdtempSync(join(tmpdir(), "jobline-ts-"));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const logPath = join(dataDir, "service.log");
  const log = openSync(logPath, "w");
  service = spawn("java", ["-jar", jar], {
    env: {
      ...process.env, PORT: String(port), JOBLINE_DATA_DIR: join(dataDir, "data"), JOBLINE_EMBEDDED_KAFKA_PORT: "0",
      // The webhook tests' receiver listens on loopback, which the service refuses unless allowed by name.
      JOBLINE_WEBHOOKS_ALLOWED_HOSTS: "127.0.0.1",
    },
    stdio: ["ignore", log, log],
  });
  closeSync(log);
  await awaitReady(url, logPath);
  project.provide("serviceUrl", url);
}

export async function teardown(): Promise<void> {
  const process = service;
  service = undefined;
  if (process && process.exitCode === null) {
    const exited = new Promise((resolve) => process.once("exit", resolve));
    process.kill("SIGTERM");
    const timer = setTimeout(() => process.kill("SIGKILL"), 30_000);
    await exited;
    clearTimeout(timer);
  }
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
}

function findJar(): string | undefined {
  const folder = join(REPO, "job-api", "target");
  try {
    const jars = readdirSync(folder).filter((name) => /^job-api-.*-exec\.jar$/.test(name)).sort();
    return jars.length ? join(folder, jars[jars.length - 1]!) : undefined;
  } catch {
    return undefined;
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}

async function awaitReady(url: string, logPath: string): Promise<void> {
  const deadline = Date.now() + READY_DEADLINE_MS;
  while (Date.now() < deadline) {
    if (service?.exitCode !== null) {
      throw new Error(`The service exited with ${service?.exitCode}:\n${tail(logPath)}`);
    }
    try {
      const answer = await fetch(`${url}/actuator/health/readiness`, { signal: AbortSignal.timeout(2000) });
      if (answer.status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250)); // a readiness probe's period
  }
  await teardown();
  throw new Error(`The service was not ready within ${READY_DEADLINE_MS} ms:\n${tail(logPath)}`);
}

function tail(path: string, lines = 40): string {
  try {
    return readFileSync(path, "utf8").split("\n").slice(-lines).join("\n");
  } catch {
    return "(no log)";
  }
}
