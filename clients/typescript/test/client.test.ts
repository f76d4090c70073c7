import { describe, expect, it } from "vitest";
import { JobNotFinishedError, ProblemError, type JobUpdate } from "../src/index.js";
import { hasService, newClient, uniqueName, waitUntil } from "./support/service.js";

const DEMO = { stages: 3, stage_ms: 200 };

describe.skipIf(!hasService)("JoblineClient against the service", () => {
  const client = newClient();

  it("should submit a job, wait for it and read it and its result", async () => {
    const submitted = await client.submit("demo", DEMO);
    const updates: JobUpdate[] = [];

    const job = await client.wait(submitted.job_id, { timeoutMs: 30_000, onUpdate: (u) => updates.push(u) });

    expect(submitted.status).toBe("pending");
    expect(job.status).toBe("completed");
    expect(job.stages_total).toBe(3);
    expect((await client.result(submitted.job_id)).result).toEqual({ stages_completed: 3 });
    expect((await client.get(submitted.job_id)).status).toBe("completed");
    expect(updates.some((u) => u.type === "job_progress")).toBe(true);
  });

  it("should refuse the result of a running job with JobNotFinishedError", async () => {
    const { job_id } = await client.submit("demo", { stages: 1, stage_ms: 3000 });

    await expect(client.result(job_id)).rejects.toBeInstanceOf(JobNotFinishedError);
    await client.cancel(job_id);
  });

  it("should throw a ProblemError with the RFC 9457 members for a bad submit", async () => {
    const error = await client.submit(uniqueName("no-such-type")).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ProblemError);
    const problem = error as ProblemError;
    expect(problem.status).toBe(400);
    expect(problem.title).toBeTruthy();
    expect(problem.detail).toMatch(/type/i);
    expect(problem.type).toBeTruthy(); // the service's, or "about:blank" when it names none
  });

  it("should answer 404 as a ProblemError for an unknown job", async () => {
    const error = await client.get("00000000-0000-0000-0000-000000000000").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProblemError);
    expect((error as ProblemError).status).toBe(404);
  });

  it("should list with filters and page on by the cursor", async () => {
    const ids = await Promise.all([0, 1, 2].map(async () => (await client.submit("noop")).job_id));
    await Promise.all(ids.map((id) => client.wait(id, { timeoutMs: 30_000 })));

    const page = await client.list({ type: "noop", status: "completed", limit: 2 });
    const every = new Set<string>();
    for await (const job of client.listAll({ type: "noop", status: "completed", limit: 2 })) every.add(job.job_id);

    expect(page.jobs).toHaveLength(2);
    expect(page.next_after).toBeTruthy();
    expect(page.count).toBeGreaterThanOrEqual(3);
    expect(page.jobs.every((job) => job.type === "noop" && job.status === "completed")).toBe(true);
    for (const id of ids) expect(every.has(id)).toBe(true);
  });

  it("should page the event history by sequence", async () => {
    const { job_id } = await client.submit("demo", DEMO);
    await client.wait(job_id, { timeoutMs: 30_000 });

    const everything = (await client.events(job_id)).events;
    const later = await client.events(job_id, { after: 2, limit: 3 });
    const paged = [];
    for await (const event of client.allEvents(job_id, { limit: 4 })) paged.push(event.sequence);

    expect(everything[0]?.type).toBe("JobSubmitted");
    expect(everything[everything.length - 1]?.type).toBe("JobCompleted");
    expect(everything.map((e) => e.sequence)).toEqual(everything.map((_, i) => i + 1));
    expect(later.events.map((e) => e.sequence)).toEqual([3, 4, 5]);
    expect(later.next_after).toBe(5);
    expect(paged).toEqual(everything.map((e) => e.sequence));
  });

  it("should cancel a running job, refuse its result, then retry it to completion", async () => {
    const { job_id } = await client.submit("demo", { stages: 2, stage_ms: 1500 });
    await waitUntil(async () => (await client.get(job_id)).status === "running", "the job running");

    await client.cancel(job_id);
    const cancelled = await client.wait(job_id, { timeoutMs: 20_000 });
    const refused = await client.result(job_id).catch((e: unknown) => e) as ProblemError;
    await client.retry(job_id);
    await waitUntil(async () => (await client.get(job_id)).status !== "cancelled", "the retry decided");
    const retried = await client.wait(job_id, { timeoutMs: 30_000 });

    expect(cancelled.status).toBe("cancelled");
    expect(refused.status).toBe(409);
    expect(refused.extra.job_status).toBe("cancelled");
    expect(retried.status).toBe("completed");
  });

  it("should delete a job so that it is no longer found", async () => {
    const { job_id } = await client.submit("noop");
    await client.wait(job_id, { timeoutMs: 30_000 });

    await client.delete(job_id);

    await waitUntil(async () => (await client.get(job_id).catch((e: ProblemError) => e)) instanceof ProblemError,
      "the job gone");
  });

  it("should answer the job it made for a repeated idempotency key", async () => {
    const key = uniqueName("ts-test");
    const first = await client.submit("noop", undefined, { idempotencyKey: key });
    const again = await client.submit("noop", undefined, { idempotencyKey: key });
    expect(again.job_id).toBe(first.job_id);
  });

  it("should submit files as multipart and serve them back as artifacts", async () => {
    const csv = "region,amount\nnorth,10\nsouth,20.5\nnorth,30\n";
    const { job_id } = await client.submit("csv-report", { delimiter: "," },
      { files: [new File([csv], "sales.csv", { type: "text/csv" })] });

    const job = await client.wait(job_id, { timeoutMs: 30_000 });
    const upload = await (await client.artifact(job_id, "sales.csv")).text();
    const head = await (await client.artifact(job_id, "sales.csv", { range: "bytes=0-5" })).text();
    const report = await (await client.artifact(job_id, "report.json")).json();

    expect(job.status).toBe("completed");
    expect(job.files?.map((f) => f.name)).toEqual(["sales.csv"]);
    expect(upload).toBe(csv);
    expect(head).toBe("region");
    expect(report).toBeTruthy();
  });
});
