/** Against a fake service: the attempt's calls carry the task's traceparent, and no other call does. */
import { createServer, type IncomingMessage, type Server } from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import { Worker } from "../src/worker/index.js";

const TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

interface Seen {
  method: string;
  path: string;
  traceparent: string | undefined;
}

function fakeService(): Promise<{ server: Server; url: string; seen: Seen[] }> {
  const seen: Seen[] = [];
  let handedOut = false;
  const server = createServer((request: IncomingMessage, response) => {
    request.resume();
    request.on("end", () => {
      const path = request.url ?? "";
      seen.push({ method: request.method ?? "", path, traceparent: request.headers.traceparent as string | undefined });
      response.setHeader("Content-Type", "application/json");
      if (path.startsWith("/api/job-types/")) {
        response.statusCode = 201;
        response.end(JSON.stringify({ name: "traced", version: 1, stages: ["a", "b"] }));
      } else if (path === "/api/workers/poll") {
        if (handedOut) {
          response.statusCode = 204;
          response.end();
          return;
        }
        handedOut = true;
        response.end(JSON.stringify({
          job_id: "job-1", type: "traced", attempt: 1, input: {}, stages: ["a", "b"], first_stage: 1,
          checkpoint: null, files: [], options: {}, heartbeat_interval_ms: 100, traceparent: TRACEPARENT,
        }));
      } else if (path.endsWith("/heartbeat")) {
        response.end(JSON.stringify({ cancel_requested: false }));
      } else {
        response.end(JSON.stringify({ next_stage: 2, status: "completed" }));
      }
    });
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => {
    const address = server.address();
    resolve({ server, seen, url: `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}` });
  }));
}

describe("Worker tracing", () => {
  let server: Server | undefined;
  afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

  it("should send the task's traceparent with every call of its attempt", async () => {
    const fake = await fakeService();
    server = fake.server;
    let done!: () => void;
    const finished = new Promise<void>((resolve) => (done = resolve));
    const worker = new Worker({ baseUrl: fake.url, pollWaitMs: 100, handleSignals: false,
      logger: { info: () => undefined, warn: () => undefined } }).jobType("traced", {
      stages: {
        a: () => new Promise((resolve) => setTimeout(() => resolve({ a: 1 }), 250)), // long enough for heartbeats
        b: () => { setTimeout(done, 50); return { b: 2 }; },
      },
    });
    const run = worker.run();
    await finished;
    worker.stop();
    await run;

    const attemptCalls = fake.seen.filter((call) => call.path.startsWith("/api/jobs/job-1/attempts/1/"));
    expect(attemptCalls.map((call) => call.path)).toEqual(expect.arrayContaining([
      "/api/jobs/job-1/attempts/1/heartbeat", "/api/jobs/job-1/attempts/1/stages/1/complete",
      "/api/jobs/job-1/attempts/1/complete",
    ]));
    expect(attemptCalls.every((call) => call.traceparent === TRACEPARENT)).toBe(true);
    expect(fake.seen.filter((call) => !call.path.includes("/attempts/")).every((call) => !call.traceparent)).toBe(true);
  });
});
