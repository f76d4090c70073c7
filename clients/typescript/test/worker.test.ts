import { afterEach, describe, expect, it } from "vitest";
import { Worker, type StageContext, type WorkerOptions } from "../src/worker/index.js";
import { hasService, newClient, serviceUrl, uniqueName, waitUntil } from "./support/service.js";

const quiet = { info: () => undefined, warn: () => undefined };

describe.skipIf(!hasService)("Worker against the service", () => {
  const client = newClient();
  const workers: Worker[] = [];
  const runs: Promise<void>[] = [];

  function start(worker: Worker): Worker {
    workers.push(worker);
    runs.push(worker.run());
    return worker;
  }

  function newWorker(options: Partial<WorkerOptions> = {}): Worker {
    return new Worker({ baseUrl: serviceUrl, workerId: uniqueName("ts-worker"), pollWaitMs: 2000, handleSignals: false,
      logger: quiet, ...options });
  }

  afterEach(async () => {
    for (const worker of workers.splice(0)) worker.stop("test over");
    await Promise.all(runs.splice(0));
  });

  it("should run a declared type's stages in order, handing each checkpoint on, to the job's result", async () => {
    const type = uniqueName("ts-pipeline");
    const seen: Array<[string, unknown]> = [];
    const worker = start(newWorker().jobType<{ n: number }>(type, {
      options: { max_attempts: 2 },
      stages: {
        download: (ctx) => {
          seen.push([ctx.stage.name, ctx.checkpoint]);
          ctx.progress(0.5, "half way");
          return { frames: ctx.input.n };
        },
        analyze: async (ctx: StageContext<{ n: number }>) => {
          seen.push([ctx.stage.name, ctx.checkpoint]);
          await ctx.uploadArtifact("frames.json", JSON.stringify({ count: ctx.input.n }), "application/json");
          return { frames: (ctx.checkpoint as { frames: number }).frames * 2 };
        },
        report: (ctx) => {
          seen.push([ctx.stage.name, ctx.checkpoint]);
          return { score: 0.93, frames: (ctx.checkpoint as { frames: number }).frames };
        },
      },
    }));
    await worker.ready;

    const { job_id } = await client.submit(type, { n: 21 });
    const job = await client.wait(job_id, { timeoutMs: 30_000 });

    expect(job.status).toBe("completed");
    expect(seen).toEqual([["download", null], ["analyze", { frames: 21 }], ["report", { frames: 42 }]]);
    expect((await client.result(job_id)).result).toEqual({ score: 0.93, frames: 42 });
    expect(await (await client.artifact(job_id, "frames.json")).json()).toEqual({ count: 21 });
    expect(worker.declared.get(type)?.stages).toEqual(["download", "analyze", "report"]);
  });

  it("should fail the attempt when a stage throws, and retry it from the failed stage", async () => {
    const type = uniqueName("ts-flaky");
    let tries = 0;
    const worker = start(newWorker().jobType(type, {
      options: { max_attempts: 2, backoff_ms: 100 },
      stages: {
        one: () => ({ one: true }),
        two: (ctx) => {
          tries += 1;
          if (ctx.attempt === 1) throw new Error("flaky disk");
          return ctx.checkpoint;
        },
      },
    }));
    await worker.ready;

    const { job_id } = await client.submit(type, {});
    const job = await client.wait(job_id, { timeoutMs: 30_000 });

    expect(job.status).toBe("completed");
    expect(tries).toBe(2);
    expect(job.errors?.[0]?.error).toMatch(/flaky disk/);
    expect((await client.result(job_id)).result).toEqual({ one: true });
  });

  it("should abort the stage's signal when a heartbeat says the job was cancelled", async () => {
    const type = uniqueName("ts-cancel");
    let started = false;
    let abortReason: unknown;
    const worker = start(newWorker().jobType(type, {
      stages: {
        long: (ctx) => new Promise((resolve, reject) => {
          started = true;
          const tick = setInterval(() => ctx.signal.aborted || ctx.progress(0.01, "working"), 200);
          ctx.signal.addEventListener("abort", () => {
            clearInterval(tick);
            abortReason = ctx.signal.reason;
            reject(ctx.signal.reason);
          });
          setTimeout(() => resolve("too late"), 20_000);
        }),
      },
    }));
    await worker.ready;

    const { job_id } = await client.submit(type, {});
    await waitUntil(() => started, "the stage running");
    await client.cancel(job_id);
    await waitUntil(() => abortReason !== undefined, "the stage aborted", 10_000);
    const job = await client.wait(job_id, { timeoutMs: 10_000 });

    expect((abortReason as Error).name).toBe("JobCancelledError");
    expect(job.status).toBe("cancelled");
  });

  it("should release its job on SIGTERM, and another worker resumes it after the last completed stage", async () => {
    const type = uniqueName("ts-release");
    const secondRan: string[] = [];
    let firstStopped: unknown;
    const first = newWorker({ handleSignals: true }).jobType(type, {
      options: { max_attempts: 1 },
      stages: {
        prepare: () => ({ prepared: true }),
        render: (ctx) => new Promise((_, reject) => ctx.signal.addEventListener("abort", () => {
          firstStopped = ctx.signal.reason;
          reject(ctx.signal.reason);
        })),
      },
    });
    const firstRun = first.run();
    await first.ready;
    const { job_id } = await client.submit(type, {});
    await waitUntil(async () => (await client.get(job_id)).stage_number === 2, "stage 2 running");

    process.emit("SIGTERM", "SIGTERM");
    await firstRun;
    // The release is decided asynchronously: the job reads as running until the view has it.
    await waitUntil(async () => (await client.get(job_id)).status === "pending", "the job pending again");
    start(newWorker().jobType(type, {
      stages: {
        prepare: () => { secondRan.push("prepare"); return null; },
        render: (ctx) => { secondRan.push("render"); return { resumed_from: ctx.checkpoint }; },
      },
    }));
    const job = await client.wait(job_id, { timeoutMs: 30_000 });

    expect((firstStopped as { reason?: string }).reason).toBe("released");
    expect(job.status).toBe("completed");
    expect(secondRan).toEqual(["render"]);
    expect((await client.result(job_id)).result).toEqual({ resumed_from: { prepared: true } });
  });
});
